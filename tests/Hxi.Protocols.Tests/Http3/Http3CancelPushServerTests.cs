using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Http3;

/// <summary>RFC 9114 Section 7.2.3 as the server enforces it: a client's CANCEL_PUSH must name a push it was promised.</summary>
public class Http3CancelPushServerTests
{
    [Fact]
    public void Rfc9114_7_2_3_CancelPushForAPushIdNoPromiseMentioned_IsAnIdError()
    {
        var pair = new Http3Pair(new Http3ConnectionOptions { MaxPushId = 10 }, seed: 31);
        pair.Start();

        pair.Client.SendCancelPush(3);
        pair.Pump();

        Assert.Contains(pair.ServerEvents, e => e is ConnectionFailed { Code: Http3ErrorCode.IdError });
        Assert.DoesNotContain(new CancelPushReceived(3), pair.ServerEvents);
    }

    [Fact]
    public void Rfc9114_7_2_3_CancelPushAboveTheClientsMaxPushId_IsAnIdError()
    {
        var pair = new Http3Pair(seed: 32);
        pair.Start();

        pair.Client.SendCancelPush(5);
        pair.Pump();

        Assert.Contains(pair.ServerEvents, e => e is ConnectionFailed { Code: Http3ErrorCode.IdError });
    }

    [Fact]
    public void Rfc9114_7_2_3_CancelPushForAPromisedPush_IsAccepted()
    {
        var pair = new Http3Pair(new Http3ConnectionOptions { MaxPushId = 3 }, seed: 33);
        pair.Start();
        long stream = pair.Client.SendRequest([new(":method", "GET"), new(":scheme", "https"), new(":authority", "example.com"), new(":path", "/")], endStream: true);
        pair.Pump();
        var promise = new System.Buffers.ArrayBufferWriter<byte>();
        QpackEncoder.EncodeLiteralFieldSection([new HeaderField(":method", "GET"), new(":scheme", "https"), new(":authority", "example.com"), new(":path", "/a.js")], promise);
        pair.Server.SendFrame(stream, new PushPromiseFrame(2, promise.WrittenMemory));
        pair.Pump();

        pair.Client.SendCancelPush(2);
        pair.Pump();

        Assert.False(pair.Server.IsFailed);
        Assert.Contains(new CancelPushReceived(2), pair.ServerEvents);
    }
}
