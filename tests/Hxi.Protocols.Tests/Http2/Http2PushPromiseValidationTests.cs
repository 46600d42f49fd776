using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Tests.Messages;

namespace Hxi.Protocols.Tests.Http2;

/// <summary>
/// A client judges the request each PUSH_PROMISE promises (RFC 9113 8.4.1): one that is not a complete, valid, safe
/// and cacheable request is a stream error PROTOCOL_ERROR on the promised stream, not announced, and the request
/// that carried it goes on; a client told only to report lets the promise through with the violation named.
/// </summary>
public class Http2PushPromiseValidationTests
{
    private static readonly HeaderField[] Get = Fields.Of(":method: GET", ":scheme: https", ":authority: localhost", ":path: /");

    /// <summary>The client (push enabled) sends GET on stream 1; the server promises <paramref name="promised"/> on stream 2, then answers.</summary>
    private static Http2Pair Promise(HeaderField[] promised, MalformedMessagePolicy policy = MalformedMessagePolicy.Reject)
    {
        var pair = new Http2Pair(client: new Http2ConnectionOptions { EnablePush = true, MalformedMessages = policy });
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Get, endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                var block = pair.Server.EncodeHeaderBlock(promised, (int)h.StreamId);
                pair.Server.SendRawFrame(new PushPromiseFrame((int)h.StreamId, 2, block, EndHeaders: true));
                pair.Server.SendHeaders((int)h.StreamId, Fields.Of(":status: 200"), endStream: true);
            }
        });
        return pair;
    }

    [Fact]
    public void Rfc9113_8_4_1_APromisedPost_ResetsThePromisedStreamWithProtocolError()
    {
        var pair = Promise(Fields.Of(":method: POST", ":scheme: https", ":authority: localhost", ":path: /form"));

        var malformed = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.True(malformed.Rejected);
        Assert.Equal(
            "malformed request on stream 2: PUSH_PROMISE on stream 1: :method 'POST' is not safe and cacheable (GET or HEAD) (RFC 9113 8.4)",
            malformed.Violation.ToString());
        Assert.Empty(pair.ClientEvents.OfType<PushPromiseReceived>());
        var reset = Assert.Single(pair.ClientEvents.OfType<StreamReset>());
        Assert.Equal((2L, (ulong)Http2ErrorCode.ProtocolError, false), (reset.StreamId, reset.Code, reset.ByPeer));
        Assert.Contains(pair.ClientEvents, e => e is HeadersReceived { StreamId: 1 });
        Assert.False(pair.Client.IsFailed);
    }

    [Theory]
    [InlineData(new[] { ":method: GET", ":scheme: https", ":authority: localhost" }, MessageRule.PseudoHeaderMissing, "RFC 9113 8.3.1")]
    [InlineData(new[] { ":method: GET", ":scheme: https", ":path: /a.css" }, MessageRule.PromisedRequestInvalid, "RFC 9113 8.4")]
    [InlineData(new[] { ":method: GET", ":scheme: https", ":authority: localhost", ":path: /a.css", "content-length: 5" }, MessageRule.PromisedRequestInvalid, "RFC 9113 8.4")]
    [InlineData(new[] { ":method: GET", ":scheme: https", ":authority: localhost", ":path: /a.css", ":status: 200" }, MessageRule.PseudoHeaderUndefined, "RFC 9113 8.3")]
    public void Rfc9113_8_4_1_AnIncompleteOrInvalidPromise_IsAStreamErrorOnThePromisedStream(string[] lines, MessageRule rule, string section)
    {
        var pair = Promise(Fields.Of(lines));

        var malformed = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.Equal((2L, rule, section), (malformed.Violation.StreamId, malformed.Violation.Rule, malformed.Violation.Section));
        Assert.Equal(2, Assert.Single(pair.ClientEvents.OfType<StreamReset>()).StreamId);
        Assert.False(pair.Client.IsFailed);
    }

    [Fact]
    public void ReportOnly_AnnouncesThePromise_AndNamesTheViolation()
    {
        var pair = Promise(Fields.Of(":method: DELETE", ":scheme: https", ":authority: localhost", ":path: /x"), MalformedMessagePolicy.Report);

        var malformed = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.False(malformed.Rejected);
        Assert.Equal(MessageRule.PromisedRequestInvalid, malformed.Violation.Rule);
        Assert.Equal(2, Assert.Single(pair.ClientEvents.OfType<PushPromiseReceived>()).PromisedStreamId);
        Assert.Empty(pair.ClientEvents.OfType<StreamReset>());
    }

    [Fact]
    public void AWellFormedPromise_IsAnnouncedWithoutAFinding()
    {
        var pair = Promise(Fields.Of(":method: GET", ":scheme: https", ":authority: localhost", ":path: /style.css"));

        Assert.Empty(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.Single(pair.ClientEvents.OfType<PushPromiseReceived>());
        Assert.Empty(pair.ClientEvents.OfType<StreamReset>());
    }
}
