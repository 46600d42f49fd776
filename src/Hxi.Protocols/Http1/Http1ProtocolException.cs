namespace Hxi.Protocols.Http1;

/// <summary>What a response that is not HTTP/1.1 at all turned out to be.</summary>
public enum Http1ForeignProtocol
{
    None,

    /// <summary>HTTP/2 frames (a server that speaks only h2c answers a request with SETTINGS and GOAWAY).</summary>
    Http2,

    /// <summary>A TLS record: the server expects TLS on this port.</summary>
    Tls,
}

/// <summary>The peer sent something that is not valid HTTP/1.1, or exceeded a parser limit.</summary>
/// <remarks>The message names the problem; the connection cannot be used afterwards.</remarks>
public sealed class Http1ProtocolException(string message, Http1ForeignProtocol foreign = Http1ForeignProtocol.None) : Exception(message)
{
    /// <summary>Set when the bytes are another protocol's, so the caller can say which option would have worked.</summary>
    public Http1ForeignProtocol Foreign { get; } = foreign;
}
