using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Http2;

/// <summary>RFC 9113 Section 5.1.1 on the server side: identifiers go up and are not reused; streams we reset may still see frames.</summary>
public sealed class Http2StreamIdentifierTests
{
    private static readonly HeaderField[] Request = [new(":method", "GET"), new(":scheme", "https"), new(":path", "/"), new(":authority", "x")];

    [Fact]
    public void Rfc9113_5_1_1_HeadersOnALowerStreamThanTheLast_IsAConnectionError_ProtocolError()
    {
        var pair = new Http2Pair();
        pair.Pump();
        pair.Client.SendRawFrame(new HeadersFrame(5, pair.Client.EncodeHeaderBlock(Request, 5), EndStream: true, EndHeaders: true));
        pair.Client.SendRawFrame(new HeadersFrame(3, pair.Client.EncodeHeaderBlock(Request, 3), EndStream: true, EndHeaders: true));
        pair.Pump();

        var failure = Assert.Single(pair.ServerEvents.OfType<ConnectionFailed>());
        Assert.Equal(Http2ErrorCode.ProtocolError, failure.Code);
        Assert.Contains("stream 3", failure.Reason);
    }

    [Fact]
    public void Rfc9113_5_1_1_ASecondRequestOnAClosedStream_IsAConnectionError_ProtocolError()
    {
        var pair = new Http2Pair();
        pair.Pump();
        pair.Client.SendRawFrame(new HeadersFrame(1, pair.Client.EncodeHeaderBlock(Request, 1), EndStream: true, EndHeaders: true));
        pair.Pump();
        pair.Server.SendHeaders(1, [new(":status", "204")], endStream: true);
        pair.Pump();

        pair.Client.SendRawFrame(new HeadersFrame(1, pair.Client.EncodeHeaderBlock(Request, 1), EndStream: true, EndHeaders: true));
        pair.Pump();

        Assert.Equal(Http2ErrorCode.ProtocolError, Assert.Single(pair.ServerEvents.OfType<ConnectionFailed>()).Code);
    }

    [Fact]
    public void Rfc9113_5_1_TrailersOnAStreamTheServerReset_AreDiscarded()
    {
        var pair = new Http2Pair();
        pair.Pump();
        pair.Client.SendRawFrame(new HeadersFrame(1, pair.Client.EncodeHeaderBlock(Request, 1), EndStream: false, EndHeaders: true));
        pair.Pump();
        pair.Server.ResetStream(1, Http2ErrorCode.Cancel);

        // The client sent its trailers before it could see the reset.
        pair.Client.SendRawFrame(new HeadersFrame(1, pair.Client.EncodeHeaderBlock([new("x-trailer", "1")], 1), EndStream: true, EndHeaders: true));
        pair.Client.SendPing(9);
        pair.Pump();

        Assert.Empty(pair.ServerEvents.OfType<ConnectionFailed>());
        Assert.Contains(new PingReceived(9), pair.ServerEvents);
    }
}
