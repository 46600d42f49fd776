namespace Hxi.Protocols.Http3.Frames;

/// <summary>MAX_PUSH_ID (type 0x0d, RFC 9114 Section 7.2.7): the client allows pushes up to this id.</summary>
public sealed record MaxPushIdFrame(long PushId) : Http3Frame
{
    public override long Type => Http3FrameType.MaxPushId;
}
