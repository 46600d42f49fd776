namespace Hxi.Protocols.Quic.Frames;

/// <summary>PATH_RESPONSE (RFC 9000 Section 19.18): echoes the data of a PATH_CHALLENGE.</summary>
/// <remarks>
/// <code>
/// PATH_RESPONSE Frame {
///   Type (i) = 0x1b,
///   Data (64),
/// }
/// </code>
/// The eight opaque bytes are held as a big-endian integer: no allocation, and equality for free.
/// </remarks>
public sealed record PathResponseFrame(ulong Data) : QuicFrame
{
    public override QuicFrameType Type => QuicFrameType.PathResponse;

    public override string ToString() => $"PATH_RESPONSE data={Data:x16}";

    internal static PathResponseFrame Read(ref QuicFrameReader reader) => new(reader.ReadUInt64("Data"));

    private protected override int GetFieldsByteCount() => 8;

    private protected override void WriteFields(ref QuicFrameWriter writer) => writer.WriteUInt64(Data);
}
