namespace Hxi.Protocols.Quic.Frames;

/// <summary>STOP_SENDING (RFC 9000 Section 19.5): the receiver asks the peer to stop sending on a stream.</summary>
/// <remarks>
/// <code>
/// STOP_SENDING Frame {
///   Type (i) = 0x05,
///   Stream ID (i),
///   Application Protocol Error Code (i),
/// }
/// </code>
/// </remarks>
public sealed record StopSendingFrame(ulong StreamId, ulong ApplicationErrorCode) : QuicFrame
{
    public override QuicFrameType Type => QuicFrameType.StopSending;

    public override string ToString() => $"STOP_SENDING stream={StreamId} error=0x{ApplicationErrorCode:x}";

    internal static StopSendingFrame Read(ref QuicFrameReader reader) =>
        new(reader.ReadVarint("Stream ID"), reader.ReadVarint("Application Protocol Error Code"));

    private protected override int GetFieldsByteCount() =>
        QuicFrameWriter.VarintLength(StreamId) + QuicFrameWriter.VarintLength(ApplicationErrorCode);

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
        writer.WriteVarint(StreamId);
        writer.WriteVarint(ApplicationErrorCode);
    }
}
