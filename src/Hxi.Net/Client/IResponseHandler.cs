using Hxi.Protocols.Primitives;

namespace Hxi.Net.Client;

/// <summary>The head of a response: status line and header fields, as they really arrived.</summary>
/// <param name="Protocol">"HTTP/1.1", "HTTP/2" (later "HTTP/3").</param>
/// <param name="StreamId">The HTTP/2 stream, or null on HTTP/1.1.</param>
public sealed record ResponseHead(string Protocol, int StatusCode, string Reason, IReadOnlyList<HeaderField> Headers, long? StreamId)
{
    public string? this[string name] =>
        Headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>Receives a response as it streams in; called on the connection's reading thread, in order.</summary>
public interface IResponseHandler
{
    void OnInterimResponse(ResponseHead head);

    void OnResponseHead(ResponseHead head);

    void OnBodyData(ReadOnlySpan<byte> data);

    void OnTrailers(IReadOnlyList<HeaderField> trailers);
}

/// <summary>Keeps the whole response in memory: for tests, the REPL and small bodies.</summary>
public sealed class BufferingResponseHandler : IResponseHandler
{
    private readonly MemoryStream _body = new();

    public List<ResponseHead> InterimResponses { get; } = [];

    public ResponseHead? Head { get; private set; }

    public IReadOnlyList<HeaderField> Trailers { get; private set; } = [];

    public byte[] Body => _body.ToArray();

    public void OnInterimResponse(ResponseHead head) => InterimResponses.Add(head);

    public void OnResponseHead(ResponseHead head) => Head = head;

    public void OnBodyData(ReadOnlySpan<byte> data) => _body.Write(data);

    public void OnTrailers(IReadOnlyList<HeaderField> trailers) => Trailers = trailers;
}
