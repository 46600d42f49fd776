namespace Hxi.Protocols.Quic.Frames;

/// <summary>PING (RFC 9000 Section 19.2): no fields, only elicits an acknowledgment.</summary>
/// <remarks>
/// <code>
/// PING Frame {
///   Type (i) = 0x01,
/// }
/// </code>
/// </remarks>
public sealed record PingFrame : QuicFrame
{
    public static PingFrame Instance { get; } = new();

    public override QuicFrameType Type => QuicFrameType.Ping;

    public override string ToString() => "PING";

    private protected override int GetFieldsByteCount() => 0;

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
    }
}
