namespace Hxi.Protocols.Http3.Frames;

/// <summary>HEADERS (type 0x01, RFC 9114 Section 7.2.2): a QPACK-encoded field section.</summary>
public sealed record HeadersFrame(ReadOnlyMemory<byte> FieldSection) : Http3Frame
{
    public override long Type => Http3FrameType.Headers;

    public bool Equals(HeadersFrame? other) => other is not null && FieldSection.Span.SequenceEqual(other.FieldSection.Span);

    public override int GetHashCode() => FieldSection.Length;
}
