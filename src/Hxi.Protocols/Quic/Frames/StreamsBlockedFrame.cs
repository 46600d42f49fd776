namespace Hxi.Protocols.Quic.Frames;

/// <summary>STREAMS_BLOCKED (RFC 9000 Section 19.14): the sender wants to open a stream beyond the peer's limit.</summary>
/// <remarks>
/// <code>
/// STREAMS_BLOCKED Frame {
///   Type (i) = 0x16..0x17,     0x16 bidirectional, 0x17 unidirectional
///   Maximum Streams (i),
/// }
/// </code>
/// </remarks>
public sealed record StreamsBlockedFrame(bool Bidirectional, ulong MaximumStreams) : QuicFrame
{
    public override QuicFrameType Type =>
        Bidirectional ? QuicFrameType.StreamsBlockedBidi : QuicFrameType.StreamsBlockedUni;

    public override string ToString() => $"STREAMS_BLOCKED {(Bidirectional ? "bidi" : "uni")} limit={MaximumStreams}";

    internal static StreamsBlockedFrame Read(ref QuicFrameReader reader, bool bidirectional)
    {
        ulong maximum = reader.ReadVarint("Maximum Streams");
        return maximum > MaxStreamsFrame.Limit
            ? throw reader.Error($"Maximum Streams {maximum} exceeds 2^60")
            : new StreamsBlockedFrame(bidirectional, maximum);
    }

    private protected override int GetFieldsByteCount() => QuicFrameWriter.VarintLength(MaximumStreams);

    private protected override void WriteFields(ref QuicFrameWriter writer) => writer.WriteVarint(MaximumStreams);
}
