namespace Hxi.Protocols.Quic.Frames;

/// <summary>HANDSHAKE_DONE (RFC 9000 Section 19.20): the server confirms the handshake.</summary>
/// <remarks>
/// <code>
/// HANDSHAKE_DONE Frame {
///   Type (i) = 0x1e,
/// }
/// </code>
/// </remarks>
public sealed record HandshakeDoneFrame : QuicFrame
{
    public static HandshakeDoneFrame Instance { get; } = new();

    public override QuicFrameType Type => QuicFrameType.HandshakeDone;

    public override string ToString() => "HANDSHAKE_DONE";

    private protected override int GetFieldsByteCount() => 0;

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
    }
}
