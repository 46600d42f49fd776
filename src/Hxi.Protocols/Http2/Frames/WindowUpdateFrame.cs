namespace Hxi.Protocols.Http2.Frames;

/// <summary>WINDOW_UPDATE (type 0x8, RFC 9113 Section 6.9); stream 0 is the connection window.</summary>
public sealed record WindowUpdateFrame(int StreamId, int Increment) : Http2Frame(StreamId)
{
    public override Http2FrameType Type => Http2FrameType.WindowUpdate;

    public override Http2FrameFlags Flags => Http2FrameFlags.None;
}
