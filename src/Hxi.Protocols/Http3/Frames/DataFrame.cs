namespace Hxi.Protocols.Http3.Frames;

/// <summary>DATA (type 0x00, RFC 9114 Section 7.2.1): request or response content.</summary>
/// <remarks>Received DATA is streamed in pieces, never held whole; a received record carries only what was traced.</remarks>
public sealed record DataFrame(ReadOnlyMemory<byte> Data) : Http3Frame
{
    public override long Type => Http3FrameType.Data;

    public bool Equals(DataFrame? other) => other is not null && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => Data.Length;
}
