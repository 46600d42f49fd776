namespace Hxi.Protocols.Http2.Hpack;

/// <summary>A field block that cannot be decoded; HTTP/2 answers with COMPRESSION_ERROR (RFC 9113 Section 4.3).</summary>
public sealed class HpackDecodingException(string message) : Exception(message);
