using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Tests.Http3;

/// <summary>RFC 9114 Sections 6, 7 and 8 and RFC 9204 Section 6: each rule a misbehaving server breaks yields its error code.</summary>
public class Http3ConnectionErrorTests
{
    // Server-initiated unidirectional streams 3, 7, 11, 15; the client's first request stream is 0.
    private const string ControlWithSettings = "00 0400";

    private static Http3Connection StartedClient(Http3ConnectionOptions? options = null)
    {
        var client = new Http3Connection(Http3Role.Client, options);
        client.Start();
        while (client.TryPollStreamWrite(out _))
        {
        }

        return client;
    }

    private static ConnectionFailed Failure(Http3Connection connection)
    {
        var events = new List<HttpEvent>();
        while (connection.TryPollEvent(out var e))
        {
            events.Add(e);
        }

        Assert.True(connection.IsFailed);
        bool closed = false;
        while (connection.TryPollStreamWrite(out var write))
        {
            closed |= write is ConnectionCloseWrite;
        }

        Assert.True(closed, "a connection error must ask the transport to close");
        return Assert.Single(events.OfType<ConnectionFailed>());
    }

    private static void Feed(Http3Connection connection, long streamId, string hex, bool fin = false, bool byteByByte = false)
    {
        byte[] bytes = Hex.Parse(hex);
        if (!byteByByte || bytes.Length == 0)
        {
            connection.ReceiveStreamData(streamId, bytes, fin);
            return;
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            connection.ReceiveStreamData(streamId, bytes.AsSpan(i, 1), fin && i == bytes.Length - 1);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rfc9114_7_2_4_SecondSettingsIsFrameUnexpected(bool byteByByte)
    {
        var client = StartedClient();
        Feed(client, 3, ControlWithSettings + " 0400", byteByByte: byteByByte);
        Assert.Equal(Http3ErrorCode.FrameUnexpected, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_6_2_1_ControlStreamNotStartingWithSettingsIsMissingSettings()
    {
        var client = StartedClient();
        Feed(client, 3, "00 0701 00");
        Assert.Equal(Http3ErrorCode.MissingSettings, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_4_1_DataBeforeHeadersIsFrameUnexpected()
    {
        var client = StartedClient();
        long stream = client.SendRequest(Http3Pair.Get("/"), endStream: true);
        Feed(client, stream, "0003 616263");
        Assert.Equal(Http3ErrorCode.FrameUnexpected, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_7_2_1_DataOnTheControlStreamIsFrameUnexpected()
    {
        var client = StartedClient();
        Feed(client, 3, ControlWithSettings + " 0001 00");
        Assert.Equal(Http3ErrorCode.FrameUnexpected, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_7_2_4_SettingsOnARequestStreamIsFrameUnexpected()
    {
        var client = StartedClient();
        long stream = client.SendRequest(Http3Pair.Get("/"), endStream: true);
        Feed(client, stream, "0400");
        Assert.Equal(Http3ErrorCode.FrameUnexpected, Failure(client).Code);
    }

    [Theory]
    [InlineData("0600")] // HTTP/2 PING has no HTTP/3 meaning
    [InlineData("0d01 05")] // MAX_PUSH_ID is for servers to receive
    public void Rfc9114_7_2_FramesNotForThisStreamOrRoleAreFrameUnexpected(string frame)
    {
        var client = StartedClient();
        Feed(client, 3, ControlWithSettings + " " + frame);
        Assert.Equal(Http3ErrorCode.FrameUnexpected, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_6_2_1_ClosingTheControlStreamIsClosedCriticalStream()
    {
        var client = StartedClient();
        Feed(client, 3, ControlWithSettings, fin: true);
        Assert.Equal(Http3ErrorCode.ClosedCriticalStream, Failure(client).Code);
    }

    [Fact]
    public void Rfc9204_4_2_ResettingTheEncoderStreamIsClosedCriticalStream()
    {
        var client = StartedClient();
        Feed(client, 7, "02");
        client.ReceiveStreamReset(7, 0x100);
        Assert.Equal(Http3ErrorCode.ClosedCriticalStream, Failure(client).Code);
    }

    [Theory]
    [InlineData("00 0400", "00")]
    [InlineData("02", "02")]
    [InlineData("03", "03")]
    public void Rfc9114_6_2_DuplicateCriticalStreamIsStreamCreationError(string first, string second)
    {
        var client = StartedClient();
        Feed(client, 3, first);
        Feed(client, 7, second);
        Assert.Equal(Http3ErrorCode.StreamCreationError, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_6_1_ServerInitiatedBidirectionalStreamIsStreamCreationError()
    {
        var client = StartedClient();
        Feed(client, 1, "0100");
        Assert.Equal(Http3ErrorCode.StreamCreationError, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_4_6_PushPromiseWithoutMaxPushIdIsIdError()
    {
        var client = StartedClient();
        long stream = client.SendRequest(Http3Pair.Get("/"), endStream: true);
        Feed(client, stream, "0503 00 0000");
        Assert.Equal(Http3ErrorCode.IdError, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_6_2_2_PushStreamWithoutMaxPushIdIsIdError()
    {
        var client = StartedClient();
        Feed(client, 3, "01 00");
        Assert.Equal(Http3ErrorCode.IdError, Failure(client).Code);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rfc9114_4_6_PushStreamAboveMaxPushIdIsIdError(bool byteByByte)
    {
        var client = StartedClient(new Http3ConnectionOptions { MaxPushId = 3 });
        Feed(client, 3, "01 04", byteByByte: byteByByte);
        Assert.Equal(Http3ErrorCode.IdError, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_6_2_2_PushIdUsedByTwoPushStreamsIsIdError()
    {
        var client = StartedClient(new Http3ConnectionOptions { MaxPushId = 3 });
        Feed(client, 3, "01 02");
        Feed(client, 7, "01 02");
        Assert.Equal(Http3ErrorCode.IdError, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_4_6_PushPromiseAboveALaterMaxPushIdIsIdError()
    {
        var client = StartedClient();
        client.SendMaxPushId(1);
        long stream = client.SendRequest(Http3Pair.Get("/"), endStream: true);
        Feed(client, stream, "0503 02 0000");
        var failure = Failure(client);
        Assert.Equal(Http3ErrorCode.IdError, failure.Code);
        Assert.Contains("above our MAX_PUSH_ID (1)", failure.Reason);
    }

    [Fact]
    public void Rfc9114_5_2_GoAwayIdMustNotGrow()
    {
        var client = StartedClient();
        Feed(client, 3, ControlWithSettings + " 0701 04 0701 08");
        Assert.Equal(Http3ErrorCode.IdError, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_7_1_StreamEndingInsideAFrameIsFrameError()
    {
        var client = StartedClient();
        long stream = client.SendRequest(Http3Pair.Get("/"), endStream: true);
        Feed(client, stream, "0105 0000", fin: true);
        Assert.Equal(Http3ErrorCode.FrameError, Failure(client).Code);
    }

    [Fact]
    public void Rfc9114_7_2_4_OversizedSettingsIsExcessiveLoad()
    {
        var client = StartedClient(new Http3ConnectionOptions { MaxFramePayload = 32 });
        Feed(client, 3, "00 0421");
        Assert.Equal(Http3ErrorCode.ExcessiveLoad, Failure(client).Code);
    }

    [Fact]
    public void Rfc9204_4_3_1_EncoderStreamCapacityOverOurMaximumIsEncoderStreamError()
    {
        var client = StartedClient(new Http3ConnectionOptions { QpackMaxTableCapacity = 100 });
        Feed(client, 7, "02 3f46"); // Set Dynamic Table Capacity 101
        Assert.Equal(Http3ErrorCode.QpackEncoderStreamError, Failure(client).Code);
    }

    [Fact]
    public void Rfc9204_2_2_3_ReferenceToAnEvictedEntryIsDecompressionFailed()
    {
        var client = StartedClient(new Http3ConnectionOptions { QpackMaxTableCapacity = 100 });
        long stream = client.SendRequest(Http3Pair.Get("/"), endStream: true);

        // Capacity 100, two 57-byte inserts: the second evicts the first; the section then names absolute index 0.
        Feed(client, 7, "02 3f45 c00f 7777 772e 6578 616d 706c 652e 636f 6d c00f 7777 772e 6578 616d 706c 652e 636f 6e");
        Feed(client, stream, "0104 0300 8180");
        Assert.Equal(Http3ErrorCode.QpackDecompressionFailed, Failure(client).Code);
    }

    [Fact]
    public void Rfc9204_2_1_2_MoreBlockedStreamsThanAdvertisedIsDecompressionFailed()
    {
        var client = StartedClient(new Http3ConnectionOptions { QpackBlockedStreams = 1 });
        long first = client.SendRequest(Http3Pair.Get("/a"), endStream: true);
        long second = client.SendRequest(Http3Pair.Get("/b"), endStream: true);
        Feed(client, first, "0103 0280 10");
        Feed(client, second, "0103 0280 10");
        Assert.Equal(Http3ErrorCode.QpackDecompressionFailed, Failure(client).Code);
    }

    [Fact]
    public void Rfc9204_2_2_1_HeaderBlockThatNeverUnblocksIsReportedAndDoesNotEndTheStream()
    {
        var client = StartedClient();
        long stream = client.SendRequest(Http3Pair.Get("/"), endStream: true);
        Feed(client, stream, "0103 0280 10 0002 6869", fin: true);

        var events = new List<HttpEvent>();
        while (client.TryPollEvent(out var e))
        {
            events.Add(e);
        }

        Assert.Equal([new StreamBlocked(stream, 1, 0)], events);
        Assert.Equal(1, client.Decoder.BlockedStreamCount);

        // Abandoning the stream frees the slot and tells the encoder (Stream Cancellation).
        client.ResetStream(stream, Http3ErrorCode.RequestCancelled);
        Assert.Equal(0, client.Decoder.BlockedStreamCount);
        Assert.False(client.IsFailed);
    }

    [Fact]
    public void Rfc9204_2_2_1_BlockedHeaderBlockResumesWithTheBytesBehindIt()
    {
        var client = StartedClient();
        long stream = client.SendRequest(Http3Pair.Get("/"), endStream: true);
        Feed(client, stream, "0103 0280 10 0002 6869", fin: true, byteByByte: true);

        // Insert With Name Reference, static :status (index 25 is ":status 200"; name index 24) = "200".
        Feed(client, 7, "02 3fe1 1f d8 0332 3030", byteByByte: true);

        var events = new List<HttpEvent>();
        while (client.TryPollEvent(out var e))
        {
            events.Add(e);
        }

        var headers = Assert.Single(events.OfType<HeadersReceived>());
        Assert.Equal(":status", headers.Fields[0].Name);
        Assert.Equal("hi"u8.ToArray(), Http3Pair.Body(events, stream));
        Assert.Contains(events, e => e is DataReceived { EndStream: true } ended && ended.StreamId == stream);
        Assert.False(client.IsFailed);
    }
}
