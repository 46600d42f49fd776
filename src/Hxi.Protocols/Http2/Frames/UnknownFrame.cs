namespace Hxi.Protocols.Http2.Frames;

/// <summary>
/// A frame whose type is not defined (RFC 9113 Section 4.1: must be ignored), or any frame
/// written raw by the REPL. Kept whole so it can be shown, never fatal.
/// </summary>
public sealed record UnknownFrame(byte RawType, byte RawFlags, int StreamId, ReadOnlyMemory<byte> Payload)
    : Http2Frame(StreamId)
{
    public override Http2FrameType Type => (Http2FrameType)RawType;

    public override byte TypeCode => RawType;

    public override Http2FrameFlags Flags => (Http2FrameFlags)RawFlags;
}
