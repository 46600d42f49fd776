using Hxi.Protocols.Primitives;

namespace Hxi.Net.Client;

/// <summary>
/// Holds a response's parts until the handler that should see them is known, then hands them over in order
/// and forwards the rest: an HTTP/3 push stream may arrive before the PUSH_PROMISE that says what it is.
/// </summary>
public sealed class DeferredResponseHandler : IResponseHandler
{
    private readonly List<Action<IResponseHandler>> _held = [];
    private IResponseHandler? _target;

    public void Attach(IResponseHandler target)
    {
        _target = target;
        foreach (var replay in _held)
        {
            replay(target);
        }

        _held.Clear();
    }

    public void OnInterimResponse(ResponseHead head) => Forward(h => h.OnInterimResponse(head));

    public void OnResponseHead(ResponseHead head) => Forward(h => h.OnResponseHead(head));

    public void OnBodyData(ReadOnlySpan<byte> data)
    {
        if (_target is { } target)
        {
            target.OnBodyData(data);
            return;
        }

        var copy = data.ToArray();
        _held.Add(h => h.OnBodyData(copy));
    }

    public void OnTrailers(IReadOnlyList<HeaderField> trailers) => Forward(h => h.OnTrailers(trailers));

    private void Forward(Action<IResponseHandler> call)
    {
        if (_target is { } target)
        {
            call(target);
        }
        else
        {
            _held.Add(call);
        }
    }
}
