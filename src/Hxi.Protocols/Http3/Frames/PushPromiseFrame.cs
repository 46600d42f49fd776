namespace Hxi.Protocols.Http3.Frames;

/// <summary>PUSH_PROMISE (type 0x05, RFC 9114 Section 7.2.5): a promised request's field section, on a request stream.</summary>
public sealed record PushPromiseFrame(long PushId, ReadOnlyMemory<byte> FieldSection) : Http3Frame
{
    public override long Type => Http3FrameType.PushPromise;

    public bool Equals(PushPromiseFrame? other) =>
        other is not null && PushId == other.PushId && FieldSection.Span.SequenceEqual(other.FieldSection.Span);

    public override int GetHashCode() => HashCode.Combine(PushId, FieldSection.Length);
}
