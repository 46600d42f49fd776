using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Tests.Messages;
using static Hxi.Protocols.Tests.Http3.Http3Pair;

namespace Hxi.Protocols.Tests.Http3;

/// <summary>
/// A client judges the request each PUSH_PROMISE promises (RFC 9114 4.6, with 4.1.2 and 4.3.1): a promised request
/// that is malformed, not safe and cacheable, or announces content is a malformed message on the request stream
/// that carried it (H3_MESSAGE_ERROR), unless the client only reports.
/// </summary>
public class Http3PushPromiseValidationTests
{
    private static (Http3Pair Pair, long Stream) Promise(HeaderField[] promised, MalformedMessagePolicy policy = MalformedMessagePolicy.Reject)
    {
        var pair = new Http3Pair(new Http3ConnectionOptions { MaxPushId = 10, MalformedMessages = policy }, seed: 4);
        pair.Start();
        long stream = pair.Client.SendRequest(Get("/"), endStream: true);
        pair.Pump();
        var section = new System.Buffers.ArrayBufferWriter<byte>();
        QpackEncoder.EncodeLiteralFieldSection(promised, section);
        pair.Server.SendFrame(stream, new PushPromiseFrame(0, section.WrittenMemory));
        pair.Server.SendHeaders(stream, Status(200), endStream: true);
        pair.Pump();
        return (pair, stream);
    }

    [Fact]
    public void Rfc9114_4_6_APromisedPost_IsAMessageErrorOnTheRequestStream()
    {
        var (pair, stream) = Promise(Fields.Of(":method: POST", ":scheme: https", ":authority: localhost", ":path: /form"));

        var malformed = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.True(malformed.Rejected);
        Assert.Equal(
            $"malformed request on stream {stream}: PUSH_PROMISE for push ID 0: :method 'POST' is not safe and cacheable (GET or HEAD) (RFC 9114 4.6)",
            malformed.Violation.ToString());
        Assert.Empty(pair.ClientEvents.OfType<PushPromiseReceived>());
        var failed = Assert.Single(pair.ClientEvents.OfType<StreamReset>());
        Assert.Equal((stream, (ulong)Http3ErrorCode.MessageError, false), (failed.StreamId, failed.Code, failed.ByPeer));
        Assert.False(pair.Client.IsFailed);
    }

    [Fact]
    public void Rfc9114_4_3_1_APromiseWithoutPath_IsMalformed()
    {
        var (pair, _) = Promise(Fields.Of(":method: GET", ":scheme: https", ":authority: localhost"));

        var malformed = Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>());
        Assert.Equal((MessageRule.PseudoHeaderMissing, "RFC 9114 4.3.1"), (malformed.Violation.Rule, malformed.Violation.Section));
    }

    [Fact]
    public void ReportOnly_AnnouncesThePromise_AndTheResponseArrives()
    {
        var (pair, stream) = Promise(Fields.Of(":method: GET", ":scheme: https", ":authority: localhost", ":path: /a", "content-length: 9"), MalformedMessagePolicy.Report);

        Assert.False(Assert.Single(pair.ClientEvents.OfType<MalformedMessageReceived>()).Rejected);
        Assert.Single(pair.ClientEvents.OfType<PushPromiseReceived>());
        Assert.Contains(pair.ClientEvents, e => e is DataReceived { EndStream: true } ended && ended.StreamId == stream);
    }
}
