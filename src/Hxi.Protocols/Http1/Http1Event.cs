using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http1;

/// <summary>Something the response parser learned from the wire; consume with <c>switch</c>.</summary>
public abstract record Http1Event;

/// <summary>A 1xx response other than 101 (100 Continue, 103 Early Hints); the final response follows.</summary>
public sealed record Http1InterimResponseReceived(int StatusCode, string Reason, IReadOnlyList<HeaderField> Headers)
    : Http1Event;

/// <summary>The status line and header section of the final response.</summary>
/// <param name="Version">The version exactly as received, e.g. "HTTP/1.1" or "HTTP/1.0".</param>
/// <param name="ContentLength">The body length when <paramref name="BodyKind"/> is ContentLength; otherwise null.</param>
public sealed record Http1ResponseHeadReceived(
    string Version,
    int StatusCode,
    string Reason,
    IReadOnlyList<HeaderField> Headers,
    Http1BodyKind BodyKind,
    long? ContentLength) : Http1Event;

/// <summary>Body bytes as they arrived, chunk framing removed; the array is the consumer's to keep.</summary>
public sealed record Http1BodyDataReceived(ReadOnlyMemory<byte> Data) : Http1Event;

/// <summary>A chunk-size line of a chunked body; Size 0 is the last chunk, trailers follow.</summary>
/// <param name="Extensions">The raw chunk extensions from the first ';' on, or null when there are none.</param>
public sealed record Http1ChunkStarted(long Size, string? Extensions) : Http1Event;

/// <summary>The response ended; with KeepAlive false the connection must not carry another request.</summary>
public sealed record Http1ResponseCompleted(IReadOnlyList<HeaderField> Trailers, bool KeepAlive) : Http1Event;

/// <summary>101 Switching Protocols: the parser stops; later bytes come from TakeRemainingBytes.</summary>
public sealed record Http1SwitchingProtocols(IReadOnlyList<HeaderField> Headers) : Http1Event;

/// <summary>A 2xx answer to CONNECT (RFC 9110 9.3.6): the connection is now a tunnel and the parser stops.</summary>
public sealed record Http1TunnelEstablished(int StatusCode, string Reason, IReadOnlyList<HeaderField> Headers)
    : Http1Event;
