namespace Hxi.Protocols.Http2.Frames;

/// <summary>PRIORITY (type 0x2, RFC 9113 Section 6.3): deprecated, still decoded and shown.</summary>
public sealed record PriorityFrame(int StreamId, Http2PriorityFields Priority) : Http2Frame(StreamId)
{
    public override Http2FrameType Type => Http2FrameType.Priority;

    public override Http2FrameFlags Flags => Http2FrameFlags.None;
}
