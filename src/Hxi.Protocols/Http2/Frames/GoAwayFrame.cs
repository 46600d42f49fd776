namespace Hxi.Protocols.Http2.Frames;

/// <summary>GOAWAY (type 0x7, RFC 9113 Section 6.8).</summary>
public sealed record GoAwayFrame(int LastStreamId, uint ErrorCode, ReadOnlyMemory<byte> DebugData) : Http2Frame(0)
{
    public override Http2FrameType Type => Http2FrameType.GoAway;

    public override Http2FrameFlags Flags => Http2FrameFlags.None;
}
