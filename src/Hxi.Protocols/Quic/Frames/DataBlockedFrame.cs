namespace Hxi.Protocols.Quic.Frames;

/// <summary>DATA_BLOCKED (RFC 9000 Section 19.12): the sender is blocked by the connection-level limit.</summary>
/// <remarks>
/// <code>
/// DATA_BLOCKED Frame {
///   Type (i) = 0x14,
///   Maximum Data (i),
/// }
/// </code>
/// </remarks>
public sealed record DataBlockedFrame(ulong MaximumData) : QuicFrame
{
    public override QuicFrameType Type => QuicFrameType.DataBlocked;

    public override string ToString() => $"DATA_BLOCKED limit={MaximumData}";

    internal static DataBlockedFrame Read(ref QuicFrameReader reader) => new(reader.ReadVarint("Maximum Data"));

    private protected override int GetFieldsByteCount() => QuicFrameWriter.VarintLength(MaximumData);

    private protected override void WriteFields(ref QuicFrameWriter writer) => writer.WriteVarint(MaximumData);
}
