using Hxi.Net.Client;
using Hxi.Protocols.Http3;

namespace Hxi.Net.Http3;

/// <summary>
/// Server push for the one-shot client (--push): MAX_PUSH_ID goes out with SETTINGS, and each promised
/// response is handed to <see cref="ClientOptions.PushHandlerFactory"/> as its push stream delivers it.
/// </summary>
public sealed partial class Http3ClientConnection
{
    /// <summary>Push ids 0 to this may be used (RFC 9114 Section 7.2.7); enough for a page's worth of pushes.</summary>
    private const long PushIdsAllowed = 99;

    /// <summary>Promised pushes by push id, once the PUSH_PROMISE (or the push stream) has arrived.</summary>
    private readonly Dictionary<long, PendingResponse> _pushes = [];

    /// <summary>Push streams that arrived before their PUSH_PROMISE: the response waits here for its handler.</summary>
    private readonly Dictionary<long, DeferredResponseHandler> _pushesAhead = [];

    private static long? MaxPushIdFor(ClientOptions options) => options.PushHandlerFactory is null ? null : PushIdsAllowed;

    private void OnPushPromise(PushPromiseReceived promise, Func<long, IReadOnlyList<Hxi.Protocols.Primitives.HeaderField>, IResponseHandler> factory)
    {
        var handler = factory(promise.PushId, promise.Fields);
        if (_pushesAhead.Remove(promise.PushId, out var waiting))
        {
            // The parts held so far are replayed where the handler runs, after those already queued.
            if (!_delivery.Enqueue(() => waiting.Attach(handler)))
            {
                waiting.Attach(handler);
            }
        }
        else if (!_pushes.ContainsKey(promise.PushId))
        {
            // The same push may be promised on several request streams; the first promise names it.
            _pushes[promise.PushId] = new PendingResponse(handler, _clock, _delivery);
        }
    }

    private void OnPushStreamOpened(PushStreamOpened opened)
    {
        if (!_pushes.TryGetValue(opened.PushId, out var pending))
        {
            var waiting = new DeferredResponseHandler();
            _pushesAhead[opened.PushId] = waiting;
            pending = _pushes[opened.PushId] = new PendingResponse(waiting, _clock, _delivery);
        }

        _pending[opened.StreamId] = pending;
    }
}
