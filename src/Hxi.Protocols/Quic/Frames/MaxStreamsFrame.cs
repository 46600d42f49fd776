namespace Hxi.Protocols.Quic.Frames;

/// <summary>MAX_STREAMS (RFC 9000 Section 19.11): how many streams of one direction the peer may open in total.</summary>
/// <remarks>
/// <code>
/// MAX_STREAMS Frame {
///   Type (i) = 0x12..0x13,     0x12 bidirectional, 0x13 unidirectional
///   Maximum Streams (i),
/// }
/// </code>
/// </remarks>
public sealed record MaxStreamsFrame(bool Bidirectional, ulong MaximumStreams) : QuicFrame
{
    /// <summary>2^60: a stream ID has 62 bits and the low two name its type.</summary>
    public const ulong Limit = 1UL << 60;

    public override QuicFrameType Type => Bidirectional ? QuicFrameType.MaxStreamsBidi : QuicFrameType.MaxStreamsUni;

    public override string ToString() => $"MAX_STREAMS {(Bidirectional ? "bidi" : "uni")} maximum={MaximumStreams}";

    internal static MaxStreamsFrame Read(ref QuicFrameReader reader, bool bidirectional)
    {
        ulong maximum = reader.ReadVarint("Maximum Streams");
        return maximum > Limit
            ? throw reader.Error($"Maximum Streams {maximum} exceeds 2^60")
            : new MaxStreamsFrame(bidirectional, maximum);
    }

    private protected override int GetFieldsByteCount() => QuicFrameWriter.VarintLength(MaximumStreams);

    private protected override void WriteFields(ref QuicFrameWriter writer) => writer.WriteVarint(MaximumStreams);
}
