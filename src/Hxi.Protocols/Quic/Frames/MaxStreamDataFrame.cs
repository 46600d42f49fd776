namespace Hxi.Protocols.Quic.Frames;

/// <summary>MAX_STREAM_DATA (RFC 9000 Section 19.10): a stream's flow-control limit.</summary>
/// <remarks>
/// <code>
/// MAX_STREAM_DATA Frame {
///   Type (i) = 0x11,
///   Stream ID (i),
///   Maximum Stream Data (i),
/// }
/// </code>
/// </remarks>
public sealed record MaxStreamDataFrame(ulong StreamId, ulong MaximumStreamData) : QuicFrame
{
    public override QuicFrameType Type => QuicFrameType.MaxStreamData;

    public override string ToString() => $"MAX_STREAM_DATA stream={StreamId} maximum={MaximumStreamData}";

    internal static MaxStreamDataFrame Read(ref QuicFrameReader reader) => new(reader.ReadVarint("Stream ID"), reader.ReadVarint("Maximum Stream Data"));

    private protected override int GetFieldsByteCount() =>
        QuicFrameWriter.VarintLength(StreamId) + QuicFrameWriter.VarintLength(MaximumStreamData);

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
        writer.WriteVarint(StreamId);
        writer.WriteVarint(MaximumStreamData);
    }
}
