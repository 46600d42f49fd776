using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Tests.Messages;
using static Hxi.Protocols.Tests.Http3.Http3Pair;

namespace Hxi.Protocols.Tests.Http3;

/// <summary>
/// The HTTP/3 core applies the message rules on receive, in both roles (RFC 9114 4.1.2): a malformed message
/// is a stream error H3_MESSAGE_ERROR (RESET_STREAM and STOP_SENDING), or only reported when told so.
/// </summary>
public class Http3MessageValidationTests
{
    private static (Http3Pair Pair, long Stream) Requested(MalformedMessagePolicy policy = MalformedMessagePolicy.Reject)
    {
        var pair = new Http3Pair(clientOptions: new Http3ConnectionOptions { MalformedMessages = policy }, seed: 5);
        pair.Start();
        long stream = pair.Client.SendRequest(Get("/"), endStream: true);
        pair.Pump();
        return (pair, stream);
    }

    [Fact]
    public void Rfc9114_4_1_2_ContentLength1000_Then10BytesAndFin_IsAMessageError()
    {
        var (pair, stream) = Requested();

        pair.Server.SendHeaders(stream, Status(200, new HeaderField("content-length", "1000")), endStream: false);
        pair.Server.SendData(stream, new byte[10], endStream: true);
        pair.Pump();

        var malformed = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.True(malformed.Rejected);
        Assert.Equal("malformed response on stream 0: content-length 1000 but 10 bytes of DATA (RFC 9114 4.1.2)", malformed.Violation.ToString());
        Assert.Equal((ulong)Http3ErrorCode.MessageError, Assert.Single(pair.ClientEvents.OfType<StreamReset>(), r => !r.ByPeer).Code);
        Assert.DoesNotContain(pair.ClientEvents, e => e is DataReceived { EndStream: true } ended && ended.StreamId == stream);
        Assert.Contains(new StopSendingReceived(stream, (ulong)Http3ErrorCode.MessageError), pair.ServerEvents);
        Assert.False(pair.Client.IsFailed);
    }

    [Fact]
    public void Rfc9114_4_1_2_ADataFrameGoingPastContentLength_IsRefusedFromItsHeader()
    {
        var (pair, stream) = Requested();

        pair.Server.SendHeaders(stream, Status(200, new HeaderField("content-length", "5")), endStream: false);
        pair.Server.SendData(stream, new byte[12], endStream: false);
        pair.Pump();

        Assert.Equal("content-length 5 but 12 bytes of DATA", Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>()).Violation.Detail);
        Assert.Empty(Body(pair.ClientEvents, stream));
        Assert.Contains(new StreamReset(stream, (ulong)Http3ErrorCode.MessageError, ByPeer: true), pair.ServerEvents);
    }

    [Theory]
    [InlineData("keep-alive", "timeout=5", MessageRule.ConnectionSpecificField, "RFC 9114 4.2")]
    [InlineData("x-a", " padded", MessageRule.FieldValueInvalid, "RFC 9114 4.1.2")]
    [InlineData("content-length", "12, 13", MessageRule.ContentLengthInvalid, "RFC 9110 8.6")]
    public void MalformedResponseHeaders_AreNotDelivered(string name, string value, MessageRule rule, string section)
    {
        var (pair, stream) = Requested();

        pair.Server.SendHeaders(stream, Status(200, new HeaderField(name, value)), endStream: true);
        pair.Pump();

        var violation = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>()).Violation;
        Assert.Equal((rule, section), (violation.Rule, violation.Section));
        Assert.Empty(pair.ClientEvents.OfType<HeadersReceived>());
    }

    [Fact]
    public void ReportOnly_DeliversTheWholeResponse_AndNamesTheViolation()
    {
        var (pair, stream) = Requested(MalformedMessagePolicy.Report);

        pair.Server.SendHeaders(stream, Status(200, new HeaderField("content-length", "1000")), endStream: false);
        pair.Server.SendData(stream, new byte[10], endStream: true);
        pair.Pump();

        var malformed = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.False(malformed.Rejected);
        Assert.Equal(10, Body(pair.ClientEvents, stream).Length);
        Assert.Contains(pair.ClientEvents, e => e is DataReceived { EndStream: true } ended && ended.StreamId == stream);
        Assert.DoesNotContain(pair.ClientEvents, e => e is StreamReset { ByPeer: false });
    }

    [Fact]
    public void ServerRole_MalformedRequest_IsAMessageError_AndItsLaterBytesOpenNothing()
    {
        var pair = new Http3Pair(seed: 9);
        pair.Start();
        long stream = pair.Client.SendRequest([.. Get("/"), new HeaderField("Accept", "*/*")], endStream: false);
        pair.Pump();

        var malformed = Assert.Single(pair.ServerEvents.OfType<MalformedMessageReceived>());
        Assert.Equal("malformed request on stream 0: field name 'Accept' has upper-case letters (RFC 9114 4.2)", malformed.Violation.ToString());
        Assert.Empty(pair.ServerEvents.OfType<HeadersReceived>());
        Assert.Contains(new StreamReset(stream, (ulong)Http3ErrorCode.MessageError, ByPeer: true), pair.ClientEvents);

        // The client did not look: the rest of its request arrives on the stopped stream and is dropped.
        pair.Client.SendData(stream, "body"u8, endStream: true);
        pair.Pump();
        Assert.Empty(pair.ServerEvents.OfType<HeadersReceived>());
        Assert.DoesNotContain(pair.ServerEvents, e => e is DataReceived);
        Assert.False(pair.Server.IsFailed);
    }

    [Fact]
    public void Rfc9114_4_3_1_ServerRole_RequestWithoutAuthorityOrHost_IsMalformed()
    {
        var pair = new Http3Pair(seed: 3);
        pair.Start();

        pair.Client.SendRequest(Fields.Of(":method: GET", ":scheme: https", ":path: /"), endStream: true);
        pair.Pump();

        Assert.Equal("malformed request on stream 0: neither :authority nor host (RFC 9114 4.3.1)",
            Assert.Single(pair.ServerEvents.OfType<MalformedMessageReceived>()).Violation.ToString());
    }

    [Fact]
    public void Rfc9114_4_1_InterimResponsesThenTheFinalOne_AreWellFormed()
    {
        var (pair, stream) = Requested();

        pair.Server.SendHeaders(stream, Status(103, new HeaderField("link", "</a.css>; rel=preload")), endStream: false);
        pair.Server.SendHeaders(stream, Status(100), endStream: false);
        pair.Server.SendHeaders(stream, Status(200, new HeaderField("content-length", "2")), endStream: false);
        pair.Server.SendData(stream, "ok"u8, endStream: true);
        pair.Pump();

        Assert.Empty(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.Equal(3, pair.ClientEvents.OfType<HeadersReceived>().Count());
        Assert.Contains(pair.ClientEvents, e => e is DataReceived { EndStream: true } ended && ended.StreamId == stream);
    }
}
