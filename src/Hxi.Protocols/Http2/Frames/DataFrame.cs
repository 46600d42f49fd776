namespace Hxi.Protocols.Http2.Frames;

/// <summary>DATA (type 0x0, RFC 9113 Section 6.1).</summary>
/// <param name="PadLength">The pad length when PADDED is set; padding bytes count against flow control.</param>
public sealed record DataFrame(int StreamId, ReadOnlyMemory<byte> Data, bool EndStream, int? PadLength = null)
    : Http2Frame(StreamId)
{
    public override Http2FrameType Type => Http2FrameType.Data;

    public override Http2FrameFlags Flags =>
        (EndStream ? Http2FrameFlags.EndStream : 0) | (PadLength is null ? 0 : Http2FrameFlags.Padded);

    /// <summary>Bytes that count against flow control: the whole payload, padding included.</summary>
    public int FlowControlledLength => Data.Length + (PadLength is { } pad ? pad + 1 : 0);
}
