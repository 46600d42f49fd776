namespace Hxi.Protocols.Quic.Frames;

/// <summary>STREAM_DATA_BLOCKED (RFC 9000 Section 19.13): the sender is blocked by a stream's flow-control limit.</summary>
/// <remarks>
/// <code>
/// STREAM_DATA_BLOCKED Frame {
///   Type (i) = 0x15,
///   Stream ID (i),
///   Maximum Stream Data (i),
/// }
/// </code>
/// </remarks>
public sealed record StreamDataBlockedFrame(ulong StreamId, ulong MaximumStreamData) : QuicFrame
{
    public override QuicFrameType Type => QuicFrameType.StreamDataBlocked;

    public override string ToString() => $"STREAM_DATA_BLOCKED stream={StreamId} limit={MaximumStreamData}";

    internal static StreamDataBlockedFrame Read(ref QuicFrameReader reader) => new(reader.ReadVarint("Stream ID"), reader.ReadVarint("Maximum Stream Data"));

    private protected override int GetFieldsByteCount() =>
        QuicFrameWriter.VarintLength(StreamId) + QuicFrameWriter.VarintLength(MaximumStreamData);

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
        writer.WriteVarint(StreamId);
        writer.WriteVarint(MaximumStreamData);
    }
}
