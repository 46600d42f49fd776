namespace Hxi.Protocols.Http2.Frames;

/// <summary>PUSH_PROMISE (type 0x5, RFC 9113 Section 6.6).</summary>
public sealed record PushPromiseFrame(
    int StreamId,
    int PromisedStreamId,
    ReadOnlyMemory<byte> BlockFragment,
    bool EndHeaders,
    int? PadLength = null)
    : Http2Frame(StreamId)
{
    public override Http2FrameType Type => Http2FrameType.PushPromise;

    public override Http2FrameFlags Flags =>
        (EndHeaders ? Http2FrameFlags.EndHeaders : 0) | (PadLength is null ? 0 : Http2FrameFlags.Padded);
}
