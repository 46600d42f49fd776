namespace Hxi.Protocols.Http3.Frames;

/// <summary>A frame of a type this endpoint does not know, GREASE (0x1f * N + 0x21) included; kept raw and ignored (Section 9).</summary>
public sealed record UnknownFrame(long FrameType, ReadOnlyMemory<byte> Payload) : Http3Frame
{
    public override long Type => FrameType;

    public bool Equals(UnknownFrame? other) =>
        other is not null && FrameType == other.FrameType && Payload.Span.SequenceEqual(other.Payload.Span);

    public override int GetHashCode() => HashCode.Combine(FrameType, Payload.Length);
}
