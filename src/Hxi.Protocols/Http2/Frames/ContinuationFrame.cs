namespace Hxi.Protocols.Http2.Frames;

/// <summary>CONTINUATION (type 0x9, RFC 9113 Section 6.10): more of a field block.</summary>
public sealed record ContinuationFrame(int StreamId, ReadOnlyMemory<byte> BlockFragment, bool EndHeaders)
    : Http2Frame(StreamId)
{
    public override Http2FrameType Type => Http2FrameType.Continuation;

    public override Http2FrameFlags Flags => EndHeaders ? Http2FrameFlags.EndHeaders : Http2FrameFlags.None;
}
