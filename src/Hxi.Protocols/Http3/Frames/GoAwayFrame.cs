namespace Hxi.Protocols.Http3.Frames;

/// <summary>GOAWAY (type 0x07, RFC 9114 Section 7.2.6): a request stream id from a server, a push id from a client.</summary>
public sealed record GoAwayFrame(long Id) : Http3Frame
{
    public override long Type => Http3FrameType.GoAway;
}
