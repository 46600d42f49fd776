namespace Hxi.Protocols.Http2.Frames;

/// <summary>RST_STREAM (type 0x3, RFC 9113 Section 6.4).</summary>
public sealed record RstStreamFrame(int StreamId, uint ErrorCode) : Http2Frame(StreamId)
{
    public override Http2FrameType Type => Http2FrameType.RstStream;

    public override Http2FrameFlags Flags => Http2FrameFlags.None;
}
