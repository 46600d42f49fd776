using Hxi.Protocols.Http3.Frames;

namespace Hxi.Protocols.Http3;

/// <summary>The decoded form of an <see cref="Trace.WireLayer.Http3"/> frame record: which stream, which frame.</summary>
/// <param name="StreamId">The QUIC stream the frame travelled on.</param>
/// <param name="Frame">The frame; a received DATA frame is shown by its header, with an empty payload.</param>
/// <param name="PayloadLength">The payload length from the frame header.</param>
public sealed record Http3FrameTrace(long StreamId, Http3Frame Frame, long PayloadLength);

/// <summary>The decoded form of the type prefix opening a unidirectional stream (RFC 9114 Section 6.2).</summary>
public sealed record Http3StreamTypeTrace(long StreamId, long StreamType)
{
    /// <summary>The push id that follows the type on a push stream (Section 4.6), or null.</summary>
    public long? PushId { get; init; }

    public string Name => Http3StreamType.Name(StreamType);
}
