namespace Hxi.Protocols.Quic.Frames;

/// <summary>MAX_DATA (RFC 9000 Section 19.9): the connection-level flow-control limit.</summary>
/// <remarks>
/// <code>
/// MAX_DATA Frame {
///   Type (i) = 0x10,
///   Maximum Data (i),
/// }
/// </code>
/// </remarks>
public sealed record MaxDataFrame(ulong MaximumData) : QuicFrame
{
    public override QuicFrameType Type => QuicFrameType.MaxData;

    public override string ToString() => $"MAX_DATA maximum={MaximumData}";

    internal static MaxDataFrame Read(ref QuicFrameReader reader) => new(reader.ReadVarint("Maximum Data"));

    private protected override int GetFieldsByteCount() => QuicFrameWriter.VarintLength(MaximumData);

    private protected override void WriteFields(ref QuicFrameWriter writer) => writer.WriteVarint(MaximumData);
}
