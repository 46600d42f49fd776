namespace Hxi.Protocols.Quic.Frames;

/// <summary>RESET_STREAM (RFC 9000 Section 19.4): the sender abandons the sending part of a stream.</summary>
/// <remarks>
/// <code>
/// RESET_STREAM Frame {
///   Type (i) = 0x04,
///   Stream ID (i),
///   Application Protocol Error Code (i),
///   Final Size (i),
/// }
/// </code>
/// </remarks>
public sealed record ResetStreamFrame(ulong StreamId, ulong ApplicationErrorCode, ulong FinalSize) : QuicFrame
{
    public override QuicFrameType Type => QuicFrameType.ResetStream;

    public override string ToString() =>
        $"RESET_STREAM stream={StreamId} error=0x{ApplicationErrorCode:x} final_size={FinalSize}";

    internal static ResetStreamFrame Read(ref QuicFrameReader reader) =>
        new(reader.ReadVarint("Stream ID"), reader.ReadVarint("Application Protocol Error Code"), reader.ReadVarint("Final Size"));

    private protected override int GetFieldsByteCount() =>
        QuicFrameWriter.VarintLength(StreamId) + QuicFrameWriter.VarintLength(ApplicationErrorCode)
        + QuicFrameWriter.VarintLength(FinalSize);

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
        writer.WriteVarint(StreamId);
        writer.WriteVarint(ApplicationErrorCode);
        writer.WriteVarint(FinalSize);
    }
}
