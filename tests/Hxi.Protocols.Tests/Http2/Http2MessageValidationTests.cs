using System.Buffers;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Tests.Messages;

namespace Hxi.Protocols.Tests.Http2;

/// <summary>
/// The HTTP/2 core applies the message rules on receive, in both roles (RFC 9113 8.1.1): a malformed message
/// is a stream error PROTOCOL_ERROR, the rest of the connection carries on, and a connection told only to
/// report (the REPL's strict off) lets the message through with the violation named.
/// </summary>
public class Http2MessageValidationTests
{
    private static readonly HeaderField[] Get = Fields.Of(":method: GET", ":scheme: https", ":authority: localhost", ":path: /");

    /// <summary>The client sends GET on stream 1; <paramref name="respond"/> answers it from the server core, which does not judge what it sends.</summary>
    private static Http2Pair Exchange(Action<Http2Connection, int> respond, MalformedMessagePolicy policy = MalformedMessagePolicy.Reject, bool endRequest = true)
    {
        var pair = new Http2Pair(client: new Http2ConnectionOptions { MalformedMessages = policy });
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Get, endStream: endRequest);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                respond(pair.Server, (int)h.StreamId);
            }
        });
        return pair;
    }

    [Fact]
    public void Rfc9113_8_1_1_ContentLengthAboveTheData_ResetsTheStreamWithProtocolError()
    {
        var pair = Exchange((server, id) =>
        {
            server.SendHeaders(id, Fields.Of(":status: 200", "content-length: 1000"), endStream: false);
            server.SendData(id, new byte[10], endStream: true);
        });

        var malformed = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.True(malformed.Rejected);
        Assert.Equal("malformed response on stream 1: content-length 1000 but 10 bytes of DATA (RFC 9113 8.1.1)", malformed.Violation.ToString());
        var reset = Assert.Single(pair.ClientEvents.OfType<StreamReset>());
        Assert.Equal((1L, (ulong)Http2ErrorCode.ProtocolError, false), (reset.StreamId, reset.Code, reset.ByPeer));
        Assert.Empty(pair.ClientEvents.OfType<DataReceived>());
        Assert.False(pair.Client.IsFailed);
    }

    [Fact]
    public void Rfc9113_8_1_1_DataPastContentLength_IsRefusedBeforeItIsDelivered_AndThePeerSeesTheReset()
    {
        var pair = Exchange((server, id) =>
        {
            server.SendHeaders(id, Fields.Of(":status: 200", "content-length: 5"), endStream: false);
            server.SendData(id, new byte[12], endStream: false);
        });

        Assert.Equal(MessageRule.ContentLengthMismatch, Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>()).Violation.Rule);
        Assert.Empty(pair.ClientEvents.OfType<DataReceived>());
        var seen = Assert.Single(pair.ServerEvents.OfType<StreamReset>());
        Assert.Equal((1L, (ulong)Http2ErrorCode.ProtocolError, true), (seen.StreamId, seen.Code, seen.ByPeer));
    }

    [Fact]
    public void Rfc9113_8_1_DataBeforeHeaders_IsAStreamError_NotADelivery()
    {
        var pair = Exchange((server, id) => server.SendData(id, "oops"u8.ToArray(), endStream: true));

        var malformed = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.Equal("malformed response on stream 1: DATA before the response's HEADERS (RFC 9113 8.1)", malformed.Violation.ToString());
        Assert.Empty(pair.ClientEvents.OfType<DataReceived>());
        Assert.Equal(Http2ErrorCode.ProtocolError, (Http2ErrorCode)Assert.Single(pair.ClientEvents.OfType<StreamReset>()).Code);
    }

    [Fact]
    public void Rfc9113_8_2_2_ConnectionSpecificFieldInAResponse_ResetsOnlyThatStream()
    {
        var pair = new Http2Pair();
        var bad = pair.Client.OpenStream();
        var good = pair.Client.OpenStream();
        pair.Client.SendHeaders(bad, Get, endStream: true);
        pair.Client.SendHeaders(good, Get, endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                var extra = (int)h.StreamId == bad ? "transfer-encoding: chunked" : "server: fine";
                pair.Server.SendHeaders((int)h.StreamId, Fields.Of(":status: 200", extra), endStream: true);
            }
        });

        var malformed = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.Equal((bad, "RFC 9113 8.2.2"), ((int)malformed.Violation.StreamId, malformed.Violation.Section));
        var delivered = Assert.Single(pair.ClientEvents.OfType<HeadersReceived>());
        Assert.Equal(good, delivered.StreamId);
    }

    [Fact]
    public void ReportOnly_DeliversTheMessage_AndNamesTheViolation()
    {
        var pair = Exchange((server, id) =>
        {
            server.SendHeaders(id, Fields.Of(":status: 200", "content-length: 1000"), endStream: false);
            server.SendData(id, new byte[10], endStream: true);
        }, MalformedMessagePolicy.Report);

        var malformed = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.False(malformed.Rejected);
        Assert.Equal(MessageRule.ContentLengthMismatch, malformed.Violation.Rule);
        Assert.Equal(10, Assert.Single(pair.ClientEvents.OfType<DataReceived>()).Data.Length);
        Assert.Empty(pair.ClientEvents.OfType<StreamReset>());
        Assert.Equal(Http2StreamState.Closed, pair.Client.GetStreamState(1));
    }

    [Fact]
    public void ThePolicy_CanChangeOnALiveConnection()
    {
        var pair = new Http2Pair(client: new Http2ConnectionOptions { MalformedMessages = MalformedMessagePolicy.Report });
        pair.Client.MalformedMessages = MalformedMessagePolicy.Reject;
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Get, endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                pair.Server.SendHeaders((int)h.StreamId, Fields.Of(":status: 200", "Server: x"), endStream: true);
            }
        });

        Assert.True(Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>()).Rejected);
        Assert.Single(pair.ClientEvents.OfType<StreamReset>());
    }

    [Fact]
    public void Rfc9113_8_1_1_AResponseToHead_MayDeclareALengthWithoutData()
    {
        var pair = new Http2Pair();
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Fields.Of(":method: HEAD", ":scheme: https", ":authority: localhost", ":path: /"), endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                pair.Server.SendHeaders((int)h.StreamId, Fields.Of(":status: 200", "content-length: 1000"), endStream: true);
            }
        });

        Assert.Empty(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.Single(pair.ClientEvents.OfType<HeadersReceived>());
    }

    [Fact]
    public void ServerRole_MalformedRequest_IsResetWithProtocolError_AndNeverDelivered()
    {
        var pair = new Http2Pair();
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Fields.Of(":method: GET", ":scheme: https", ":path: /", ":authority: localhost", "connection: close"), endStream: true);
        pair.Pump();

        var malformed = Assert.Single(pair.ServerEvents.OfType<MalformedMessageReceived>());
        Assert.Equal("malformed request on stream 1: connection-specific field 'connection' (RFC 9113 8.2.2)", malformed.Violation.ToString());
        Assert.Empty(pair.ServerEvents.OfType<HeadersReceived>());
        var reset = Assert.Single(pair.ClientEvents.OfType<StreamReset>());
        Assert.Equal((1L, (ulong)Http2ErrorCode.ProtocolError, true), (reset.StreamId, reset.Code, reset.ByPeer));
    }

    [Fact]
    public void ServerRole_RequestBodyShorterThanContentLength_IsMalformed()
    {
        var pair = new Http2Pair();
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Fields.Of(":method: POST", ":scheme: https", ":authority: localhost", ":path: /upload", "content-length: 8"), endStream: false);
        pair.Client.SendData(id, "abc"u8.ToArray(), endStream: true);
        pair.Pump();

        var malformed = Assert.Single(pair.ServerEvents.OfType<MalformedMessageReceived>());
        Assert.Equal("malformed request on stream 1: content-length 8 but 3 bytes of DATA (RFC 9113 8.1.1)", malformed.Violation.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rfc9113_3_4_TheServersFirstFrameMustBeSettings(bool settingsAck)
    {
        var client = new Http2Connection(new Http2ConnectionOptions());
        client.Start();
        var first = settingsAck ? (Http2Frame)SettingsFrame.Acknowledgement : new PingFrame(false, 42);

        client.Receive(Bytes(first));

        Assert.True(client.IsFailed);
        var failed = Assert.Single(Events(client).OfType<ConnectionFailed>());
        Assert.Equal(Http2ErrorCode.ProtocolError, failed.Code);
        var what = settingsAck ? "a SETTINGS acknowledgement" : "PING";
        Assert.Equal($"the server's first frame is {what}, not SETTINGS (RFC 9113 3.4)", failed.Reason);
    }

    [Fact]
    public void Rfc9113_3_4_TheClientsPrefaceMustBeFollowedBySettings()
    {
        var server = new Http2Connection(new Http2ConnectionOptions { Role = Http2Role.Server });
        server.Start();

        server.Receive([.. Http2Preface.Bytes, .. Bytes(new WindowUpdateFrame(0, 1000))]);

        var failed = Assert.Single(Events(server).OfType<ConnectionFailed>());
        Assert.Equal("the client's first frame after the preface is WINDOW_UPDATE, not SETTINGS (RFC 9113 3.4)", failed.Reason);
    }

    private static byte[] Bytes(Http2Frame frame)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.Write(frame, output);
        return output.WrittenSpan.ToArray();
    }

    private static List<HttpEvent> Events(Http2Connection connection)
    {
        var events = new List<HttpEvent>();
        while (connection.TryPollEvent(out var e))
        {
            events.Add(e);
        }

        return events;
    }
}
