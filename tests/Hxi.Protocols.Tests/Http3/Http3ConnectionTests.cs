using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using static Hxi.Protocols.Tests.Http3.Http3Pair;

namespace Hxi.Protocols.Tests.Http3;

/// <summary>RFC 9114 Sections 4 and 6: a client and a server core exchanging requests in memory.</summary>
public class Http3ConnectionTests
{
    [Fact]
    public void Rfc9114_6_2_1_BothSidesOpenControlAndQpackStreamsAndExchangeSettings()
    {
        var pair = new Http3Pair();
        pair.Start();

        Assert.Equal(2, pair.Client.ControlStreamId);
        Assert.Equal(3, pair.Server.ControlStreamId);
        var settings = Assert.Single(pair.ClientEvents.OfType<SettingsReceived>());
        Assert.Contains(new Http3Setting(Http3SettingId.QpackMaxTableCapacity, 4096), settings.Settings);
        Assert.Single(pair.ServerEvents.OfType<SettingsReceived>());
        Assert.Equal(4096, pair.Client.Encoder.Table.Capacity);
    }

    [Fact]
    public void Rfc9114_6_2_AServerThatAnswers0RttBeforeItStarts_SendsItsEncoderInstructionsWithTheEncoderStream()
    {
        // With 0-RTT the client's SETTINGS and request arrive before the server's handshake completes; the answer may
        // be encoded (with dynamic-table inserts) before the server opens its encoder stream. Those inserts must go out
        // when the stream opens, or the response stays blocked forever.
        var pair = new Http3Pair(seed: 11);
        pair.Client.Start();
        long stream = pair.Client.SendRequest(Get("/early"), endStream: true);
        pair.Pump();
        Assert.Single(pair.ServerEvents.OfType<HeadersReceived>());

        pair.Server.SendHeaders(stream, Status(200, new HeaderField("x-served-by", "hxi test")), endStream: true);
        pair.Server.Start();
        pair.Pump();

        Assert.True(pair.Server.Encoder.Table.InsertCount > 0);
        var response = Assert.Single(pair.ClientEvents.OfType<HeadersReceived>());
        Assert.Contains(new HeaderField("x-served-by", "hxi test"), response.Fields);
        Assert.False(pair.Client.IsFailed || pair.Server.IsFailed);
    }

    [Fact]
    public void Rfc9114_4_1_GetWithResponseBody()
    {
        var pair = new Http3Pair(seed: 7);
        pair.Start();

        long stream = pair.Client.SendRequest(Get("/hello"), endStream: true);
        pair.Pump();
        var request = Assert.Single(pair.ServerEvents.OfType<HeadersReceived>());
        Assert.Equal(Get("/hello"), request.Fields);
        Assert.Contains(pair.ServerEvents, e => e is DataReceived { EndStream: true } ended && ended.StreamId == stream);

        byte[] body = new byte[5000];
        new Random(3).NextBytes(body);
        pair.Server.SendHeaders(stream, Status(200, new HeaderField("content-type", "application/octet-stream")), endStream: false);
        pair.Server.SendData(stream, body, endStream: true);
        pair.Pump();

        var response = Assert.Single(pair.ClientEvents.OfType<HeadersReceived>());
        Assert.Equal("200", response.Fields[0].Value);
        Assert.Equal(body, Body(pair.ClientEvents, stream));
        Assert.Contains(pair.ClientEvents, e => e is DataReceived { EndStream: true } ended && ended.StreamId == stream);
        Assert.False(pair.Client.IsFailed || pair.Server.IsFailed);
    }

    [Fact]
    public void Rfc9114_4_1_PostWithBodyAndTrailers()
    {
        var pair = new Http3Pair(seed: 11);
        pair.Start();
        HeaderField[] post = [new(":method", "POST"), new(":scheme", "https"), new(":authority", "localhost"), new(":path", "/echo")];

        long stream = pair.Client.SendRequest(post, endStream: false);
        pair.Client.SendData(stream, "hello "u8, endStream: false);
        pair.Client.SendData(stream, "world"u8, endStream: false);
        pair.Client.SendHeaders(stream, [new("x-checksum", "abc")], endStream: true);
        pair.Pump();

        Assert.Equal("hello world"u8.ToArray(), Body(pair.ServerEvents, stream));
        Assert.Single(pair.ServerEvents.OfType<HeadersReceived>());
        Assert.Equal([new HeaderField("x-checksum", "abc")], Assert.Single(pair.ServerEvents.OfType<TrailersReceived>()).Fields);

        pair.Server.SendHeaders(stream, Status(200), endStream: false);
        pair.Server.SendData(stream, "ok"u8, endStream: false);
        pair.Server.SendHeaders(stream, [new("grpc-status", "0")], endStream: true);
        pair.Pump();
        Assert.IsType<TrailersReceived>(pair.ClientEvents.OfType<MessageEvent>().Last(e => e is HeadersReceived or TrailersReceived));
        Assert.Contains(pair.ClientEvents, e => e is DataReceived { EndStream: true } ended && ended.StreamId == stream);
    }

    [Fact]
    public void Rfc9114_4_1_EarlyHintsThenFinalResponse()
    {
        var pair = new Http3Pair(seed: 5);
        pair.Start();
        long stream = pair.Client.SendRequest(Get("/"), endStream: true);
        pair.Pump();

        pair.Server.SendHeaders(stream, Status(103, new HeaderField("link", "</style.css>; rel=preload")), endStream: false);
        pair.Server.SendHeaders(stream, Status(200), endStream: false);
        pair.Server.SendData(stream, "body"u8, endStream: true);
        pair.Pump();

        var sections = pair.ClientEvents.OfType<HeadersReceived>().ToList();
        Assert.True(sections[0].IsInterim);
        Assert.False(sections[1].IsInterim);
        Assert.DoesNotContain(pair.ClientEvents, e => e is TrailersReceived);
        Assert.Equal("body"u8.ToArray(), Body(pair.ClientEvents, stream));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4096)]
    public void Rfc9204_ManyConcurrentRequestsWithAndWithoutTheDynamicTable(int capacity)
    {
        var options = new Http3ConnectionOptions { QpackMaxTableCapacity = capacity };
        var pair = new Http3Pair(options, options, seed: capacity + 1);
        pair.Start();

        var streams = new List<long>();
        for (int i = 0; i < 40; i++)
        {
            streams.Add(pair.Client.SendRequest([.. Get($"/item/{i % 5}"), new HeaderField("x-request", $"number {i % 3}")], endStream: true));
        }

        pair.Pump();
        foreach (long stream in streams)
        {
            pair.Server.SendHeaders(stream, Status(200, new HeaderField("content-type", "text/plain"), new HeaderField("x-served-by", "hxi test")), false);
            pair.Server.SendData(stream, System.Text.Encoding.ASCII.GetBytes($"stream {stream}"), endStream: true);
        }

        pair.Pump();
        Assert.Equal(40, pair.ServerEvents.OfType<HeadersReceived>().Count());
        Assert.Equal(40, pair.ClientEvents.OfType<DataReceived>().Where(d => d.EndStream).Count());
        foreach (long stream in streams)
        {
            Assert.Equal(System.Text.Encoding.ASCII.GetBytes($"stream {stream}"), Body(pair.ClientEvents, stream));
        }

        Assert.False(pair.Client.IsFailed || pair.Server.IsFailed);
        if (capacity == 0)
        {
            Assert.Equal(0, pair.Client.Encoder.Table.InsertCount);
        }
        else
        {
            Assert.True(pair.Client.Encoder.Table.InsertCount > 0);
            Assert.Equal(pair.Client.Encoder.Table.InsertCount, pair.Server.Decoder.Table.InsertCount);
            Assert.Equal(pair.Client.Encoder.Table.InsertCount, pair.Client.Encoder.KnownReceivedCount);
        }
    }

    [Fact]
    public void Rfc9114_9_GreaseFramesStreamsAndSettingsAreIgnoredButReported()
    {
        var options = new Http3ConnectionOptions { SendGrease = true };
        var pair = new Http3Pair(options, options, seed: 9);
        pair.Start();
        long stream = pair.Client.SendRequest(Get("/"), endStream: false);
        pair.Client.SendRawFrame(stream, 0x21 + 0x1f * 9, "x"u8);
        pair.Client.EndStream(stream);
        pair.Pump();

        Assert.False(pair.Client.IsFailed || pair.Server.IsFailed);
        Assert.Contains(pair.ServerEvents, e => e is UnknownStreamReceived u && Http3Reserved.IsReserved((ulong)u.StreamType));
        Assert.Contains(pair.ServerEvents, e => e is UnknownFrameReceived u && u.StreamId == pair.Client.ControlStreamId);
        Assert.Contains(pair.ServerEvents, e => e is UnknownFrameReceived u && u.StreamId == stream);
        Assert.Contains(pair.ServerEvents.OfType<SettingsReceived>().Single().Settings, s => Http3Reserved.IsReserved((ulong)s.Id));
        Assert.Contains(pair.ServerEvents, e => e is DataReceived { EndStream: true } ended && ended.StreamId == stream);
    }

    [Fact]
    public void Rfc9114_4_6_PushIsAcceptedWhenEnabled()
    {
        var pair = new Http3Pair(new Http3ConnectionOptions { MaxPushId = 10 }, seed: 4);
        pair.Start();
        Assert.Contains(new MaxPushIdReceived(10), pair.ServerEvents);
        long stream = pair.Client.SendRequest(Get("/"), endStream: true);
        pair.Pump();

        var promise = new System.Buffers.ArrayBufferWriter<byte>();
        QpackEncoder.EncodeLiteralFieldSection(Get("/pushed.css"), promise);
        pair.Server.SendFrame(stream, new PushPromiseFrame(0, promise.WrittenMemory));
        pair.Server.SendHeaders(stream, Status(200), endStream: true);
        long pushStream = pair.Server.OpenUniStream(Http3StreamType.Push);
        pair.Server.SendStreamBytes(pushStream, [0x00], fin: false);
        pair.Server.SendHeaders(pushStream, Status(200), endStream: false);
        pair.Server.SendData(pushStream, "pushed"u8, endStream: true);
        pair.Pump();

        Assert.Contains(pair.ClientEvents, e => e is PushPromiseReceived p && p.PushId == 0 && p.Fields.SequenceEqual(Get("/pushed.css")));
        Assert.Contains(new PushStreamOpened(pushStream, 0), pair.ClientEvents);
        Assert.Equal("pushed"u8.ToArray(), Body(pair.ClientEvents, pushStream));
        Assert.False(pair.Client.IsFailed);
    }

    [Fact]
    public void Rfc9114_7_2_7_MaxPushIdSentAfterStartAllowsPush()
    {
        var pair = new Http3Pair(seed: 5);
        pair.Start();
        Assert.Null(pair.Client.MaxPushId);

        pair.Client.SendMaxPushId(2);
        long stream = pair.Client.SendRequest(Get("/"), endStream: true);
        pair.Pump();
        Assert.Contains(new MaxPushIdReceived(2), pair.ServerEvents);
        Assert.Equal(2, pair.Client.MaxPushId);

        long pushStream = Push(pair, stream, pushId: 2, "/late.css", "late push");

        Assert.False(pair.Client.IsFailed);
        Assert.Contains(pair.ClientEvents, e => e is PushPromiseReceived { PushId: 2 } p && p.Fields.SequenceEqual(Get("/late.css")));
        Assert.Contains(new PushStreamOpened(pushStream, 2), pair.ClientEvents);
        Assert.Contains(pair.ClientEvents, e => e is HeadersReceived h && h.StreamId == pushStream);
        Assert.Equal("late push"u8.ToArray(), Body(pair.ClientEvents, pushStream));
        Assert.Contains(pair.ClientEvents, e => e is DataReceived { EndStream: true } ended && ended.StreamId == pushStream);
        Assert.True(pair.Client.HasPushStream(2));
    }

    [Fact]
    public void Rfc9114_7_2_7_ALowerMaxPushIdDoesNotShrinkWhatWasAllowed()
    {
        var pair = new Http3Pair(seed: 6);
        pair.Start();
        pair.Client.SendMaxPushId(4);
        pair.Client.SendRawFrame(pair.Client.ControlStreamId, Http3FrameType.MaxPushId, [0x01]);
        pair.Pump();

        Assert.Equal(4, pair.Client.MaxPushId);
        Assert.Contains(pair.ServerEvents, e => e is ConnectionFailed { Code: Http3ErrorCode.IdError });
    }

    [Fact]
    public void Rfc9114_7_2_3_PushStreamArrivingAfterCancelPushIsStoppedWithRequestCancelled()
    {
        var pair = new Http3Pair(new Http3ConnectionOptions { MaxPushId = 3 }, seed: 8);
        pair.Start();
        long stream = pair.Client.SendRequest(Get("/"), endStream: true);
        pair.Pump();
        var promise = new System.Buffers.ArrayBufferWriter<byte>();
        QpackEncoder.EncodeLiteralFieldSection(Get("/unwanted.js"), promise);
        pair.Server.SendFrame(stream, new PushPromiseFrame(1, promise.WrittenMemory));
        pair.Server.SendHeaders(stream, Status(200), endStream: true);
        pair.Pump();

        pair.Client.SendCancelPush(1);
        pair.Pump();
        Assert.Contains(new CancelPushReceived(1), pair.ServerEvents);

        // A server that had not yet read the CANCEL_PUSH sends the push anyway.
        long pushStream = pair.Server.OpenUniStream(Http3StreamType.Push);
        pair.Server.SendStreamBytes(pushStream, [0x01], fin: false);
        pair.Server.SendHeaders(pushStream, Status(200), endStream: false);
        pair.Server.SendData(pushStream, "unwanted"u8, endStream: true);
        pair.Pump();

        Assert.False(pair.Client.IsFailed);
        Assert.Contains(new CancelledPushStreamStopped(pushStream, 1), pair.ClientEvents);
        Assert.DoesNotContain(pair.ClientEvents, e => e is PushStreamOpened);
        Assert.Empty(Body(pair.ClientEvents, pushStream));
        Assert.Contains(new StopSendingReceived(pushStream, (ulong)Http3ErrorCode.RequestCancelled), pair.ServerEvents);
    }

    /// <summary>The server promises <paramref name="path"/> on <paramref name="requestStream"/>, answers it, then fulfils the push.</summary>
    private static long Push(Http3Pair pair, long requestStream, long pushId, string path, string body)
    {
        var promise = new System.Buffers.ArrayBufferWriter<byte>();
        QpackEncoder.EncodeLiteralFieldSection(Get(path), promise);
        pair.Server.SendFrame(requestStream, new PushPromiseFrame(pushId, promise.WrittenMemory));
        pair.Server.SendHeaders(requestStream, Status(200), endStream: true);
        long pushStream = pair.Server.OpenUniStream(Http3StreamType.Push);
        byte[] header = new byte[8];
        int length = QuicVarint.Write(header, (ulong)pushId);
        pair.Server.SendStreamBytes(pushStream, header.AsSpan(0, length), fin: false);
        pair.Server.SendHeaders(pushStream, Status(200), endStream: false);
        pair.Server.SendData(pushStream, System.Text.Encoding.ASCII.GetBytes(body), endStream: true);
        pair.Pump();
        return pushStream;
    }

    [Fact]
    public void Rfc9114_4_1_ResetByPeerIsReportedAndCancelsQpackState()
    {
        var pair = new Http3Pair(seed: 2);
        pair.Start();
        long stream = pair.Client.SendRequest(Get("/slow"), endStream: true);
        pair.Pump();
        pair.Server.ResetStream(stream, Http3ErrorCode.RequestRejected);
        pair.Pump();

        Assert.Contains(new StreamReset(stream, (ulong)Http3ErrorCode.RequestRejected, ByPeer: true), pair.ClientEvents);
        Assert.False(pair.Client.IsFailed || pair.Server.IsFailed);
    }
}
