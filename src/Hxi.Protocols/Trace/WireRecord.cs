namespace Hxi.Protocols.Trace;

/// <summary>Which way a unit went, seen from this endpoint.</summary>
public enum WireDirection
{
    Sent,
    Received,
}

/// <summary>The layer a record belongs to; renderers pick the layers they show.</summary>
public enum WireLayer
{
    /// <summary>Connection-level notes: connect, TLS summary, protocol choice.</summary>
    Connection,
    Http1,
    Http2,
    Hpack,
    Quic,
    Http3,
    Qpack,
}

/// <summary>One unit on the wire: its exact bytes and, when known, its decoded form.</summary>
/// <param name="Direction">Sent or received.</param>
/// <param name="Layer">The protocol layer that produced the record.</param>
/// <param name="Bytes">The exact bytes of the unit (a frame, a packet, a chunk of HTTP/1.1 text).</param>
/// <param name="Decoded">The decoded form: an <c>Http2Frame</c>, a header block trace, a text note.</param>
public readonly record struct WireRecord(
    WireDirection Direction,
    WireLayer Layer,
    ReadOnlyMemory<byte> Bytes,
    object? Decoded);
