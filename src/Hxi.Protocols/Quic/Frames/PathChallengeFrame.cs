namespace Hxi.Protocols.Quic.Frames;

/// <summary>PATH_CHALLENGE (RFC 9000 Section 19.17): eight unpredictable bytes the peer must echo in PATH_RESPONSE.</summary>
/// <remarks>
/// <code>
/// PATH_CHALLENGE Frame {
///   Type (i) = 0x1a,
///   Data (64),
/// }
/// </code>
/// The eight opaque bytes are held as a big-endian integer: no allocation, and equality for free.
/// </remarks>
public sealed record PathChallengeFrame(ulong Data) : QuicFrame
{
    public override QuicFrameType Type => QuicFrameType.PathChallenge;

    public override string ToString() => $"PATH_CHALLENGE data={Data:x16}";

    internal static PathChallengeFrame Read(ref QuicFrameReader reader) => new(reader.ReadUInt64("Data"));

    private protected override int GetFieldsByteCount() => 8;

    private protected override void WriteFields(ref QuicFrameWriter writer) => writer.WriteUInt64(Data);
}
