namespace Hxi.Protocols.Http2.Frames;

/// <summary>HEADERS (type 0x1, RFC 9113 Section 6.2): the start of a field block.</summary>
public sealed record HeadersFrame(
    int StreamId,
    ReadOnlyMemory<byte> BlockFragment,
    bool EndStream,
    bool EndHeaders,
    Http2PriorityFields? Priority = null,
    int? PadLength = null)
    : Http2Frame(StreamId)
{
    public override Http2FrameType Type => Http2FrameType.Headers;

    public override Http2FrameFlags Flags =>
        (EndStream ? Http2FrameFlags.EndStream : 0)
        | (EndHeaders ? Http2FrameFlags.EndHeaders : 0)
        | (PadLength is null ? 0 : Http2FrameFlags.Padded)
        | (Priority is null ? 0 : Http2FrameFlags.Priority);
}
