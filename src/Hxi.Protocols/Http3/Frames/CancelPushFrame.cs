namespace Hxi.Protocols.Http3.Frames;

/// <summary>CANCEL_PUSH (type 0x03, RFC 9114 Section 7.2.3): cancels a server push before the push stream arrives.</summary>
public sealed record CancelPushFrame(long PushId) : Http3Frame
{
    public override long Type => Http3FrameType.CancelPush;
}
