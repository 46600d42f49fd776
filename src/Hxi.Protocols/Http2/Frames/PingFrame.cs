namespace Hxi.Protocols.Http2.Frames;

/// <summary>PING (type 0x6, RFC 9113 Section 6.7): eight opaque bytes, echoed with ACK.</summary>
public sealed record PingFrame(bool Ack, ulong OpaqueData) : Http2Frame(0)
{
    public override Http2FrameType Type => Http2FrameType.Ping;

    public override Http2FrameFlags Flags => Ack ? Http2FrameFlags.Ack : Http2FrameFlags.None;
}
