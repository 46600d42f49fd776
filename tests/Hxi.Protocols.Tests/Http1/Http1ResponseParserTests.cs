using Hxi.Protocols.Http1;
using static Hxi.Protocols.Tests.Http1.Http1ParserHarness;

namespace Hxi.Protocols.Tests.Http1;

public class Http1ResponseParserTests
{
    [Theory, PieceSizes]
    public void ContentLengthBody_IsDeliveredAndKeepsAlive(int pieceSize)
    {
        var transcript = Run("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello", pieceSize);

        Assert.Equal(
            [
                "head HTTP/1.1 200 OK [Content-Length: 5, Content-Type: text/plain] ContentLength 5",
                "data hello",
                "completed keep-alive []",
            ],
            transcript);
    }

    [Theory, PieceSizes]
    public void ZeroContentLength_CompletesRightAfterTheHead(int pieceSize)
    {
        Assert.Equal(
            ["head HTTP/1.1 200 OK [Content-Length: 0] ContentLength 0", "completed keep-alive []"],
            Run("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", pieceSize));
    }

    [Theory, PieceSizes]
    public void HeaderValues_AreTrimmedAndNamesKeptAsSent(int pieceSize)
    {
        Assert.Equal(
            ["head HTTP/1.1 200 OK [x-A: a  b, Empty: , Content-Length: 0] ContentLength 0", "completed keep-alive []"],
            Run("HTTP/1.1 200 OK\r\nx-A:  \t a  b \t\r\nEmpty:\r\nContent-Length:0\r\n\r\n", pieceSize));
    }

    [Theory, PieceSizes]
    public void Rfc9112_2_2_BareLfLineEndsAreAccepted(int pieceSize)
    {
        Assert.Equal(
            ["head HTTP/1.1 200 OK [Content-Length: 2] ContentLength 2", "data hi", "completed keep-alive []"],
            Run("HTTP/1.1 200 OK\nContent-Length: 2\n\nhi", pieceSize));
    }

    [Theory, PieceSizes]
    public void EmptyReason_WithOrWithoutTheSpace(int pieceSize)
    {
        Assert.Equal(["head HTTP/1.1 204  [] None", "completed keep-alive []"], Run("HTTP/1.1 204\r\n\r\n", pieceSize));
        Assert.Equal(["head HTTP/1.1 204  [] None", "completed keep-alive []"], Run("HTTP/1.1 204 \r\n\r\n", pieceSize));
    }

    [Theory, PieceSizes]
    public void Rfc9110_15_2_InterimResponsesPrecedeTheFinalOne(int pieceSize)
    {
        var transcript = Run(
            "HTTP/1.1 100 Continue\r\n\r\n" +
            "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" +
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            pieceSize);

        Assert.Equal(
            [
                "interim 100 Continue []",
                "interim 103 Early Hints [Link: </style.css>; rel=preload]",
                "head HTTP/1.1 200 OK [Content-Length: 2] ContentLength 2",
                "data ok",
                "completed keep-alive []",
            ],
            transcript);
    }

    [Theory, PieceSizes]
    public void SwitchingProtocols_StopsParsingAndKeepsTheFollowingBytes(int pieceSize)
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("GET");
        var events = Feed(
            parser,
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n\x00\x00\x12\x04\x00HTTP/1.1 200 OK\r\n",
            pieceSize);

        Assert.Equal(["switching [Connection: Upgrade, Upgrade: h2c]"], Transcript(events));
        Assert.False(parser.IsIdle);
        Assert.Equal(Latin1("\x00\x00\x12\x04\x00HTTP/1.1 200 OK\r\n"), parser.TakeRemainingBytes().ToArray());

        // Bytes that arrive later are the new protocol's too.
        parser.Receive([1, 2, 3]);
        Assert.Equal([1, 2, 3], parser.TakeRemainingBytes().ToArray());
        Assert.Throws<InvalidOperationException>(() => parser.ExpectResponse("GET"));
    }

    [Theory, PieceSizes]
    public void Rfc9112_6_3_ConnectSuccess_OpensATunnel(int pieceSize)
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("CONNECT");
        var events = Feed(parser, "HTTP/1.1 200 Connection Established\r\nVia: proxy\r\n\r\n\x16\x03\x01", pieceSize);

        Assert.Equal(["tunnel 200 Connection Established [Via: proxy]"], Transcript(events));
        Assert.Equal([0x16, 0x03, 0x01], parser.TakeRemainingBytes().ToArray());
    }

    [Theory, PieceSizes]
    public void ConnectRefused_IsAnOrdinaryResponse(int pieceSize)
    {
        Assert.Equal(
            ["head HTTP/1.1 407 Proxy Authentication Required [Content-Length: 1] ContentLength 1", "data x", "completed keep-alive []"],
            Run("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 1\r\n\r\nx", pieceSize, "CONNECT"));
    }

    [Theory, PieceSizes]
    public void HeadResponse_HasNoBodyDespiteContentLength(int pieceSize)
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("HEAD");
        var events = Feed(parser, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\nHTTP/1.1", pieceSize);

        Assert.Equal(
            ["head HTTP/1.1 200 OK [Content-Length: 1234] None", "completed keep-alive []"],
            Transcript(events));
        Assert.True(parser.IsIdle);
        Assert.Equal(Latin1("HTTP/1.1"), parser.TakeRemainingBytes().ToArray());
    }

    [Theory, PieceSizes]
    public void NoContentAndNotModified_HaveNoBody(int pieceSize)
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("GET");
        parser.ExpectResponse("GET");
        var events = Feed(
            parser,
            "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n" +
            "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
            pieceSize);

        Assert.Equal(
            [
                "head HTTP/1.1 204 No Content [Content-Length: 3] None",
                "completed keep-alive []",
                "head HTTP/1.1 304 Not Modified [Transfer-Encoding: chunked] None",
                "completed keep-alive []",
            ],
            Transcript(events));
        Assert.True(parser.IsIdle);
    }

    [Theory, PieceSizes]
    public void KeepAlive_TwoResponsesInOneBuffer(int pieceSize)
    {
        const string Two = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none" +
                           "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\ntwo";
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("GET");
        var first = Feed(parser, Two, pieceSize);

        // The second response waits for its request to be announced.
        Assert.Equal(["head HTTP/1.1 200 OK [Content-Length: 3] ContentLength 3", "data one", "completed keep-alive []"],
            Transcript(first));
        Assert.True(parser.IsIdle);

        parser.ExpectResponse("GET");
        Assert.Equal(
            ["head HTTP/1.1 404 Not Found [Content-Length: 3] ContentLength 3", "data two", "completed keep-alive []"],
            Transcript(Drain(parser)));
        Assert.True(parser.IsIdle);
    }

    [Theory, PieceSizes]
    public void Pipelining_ExpectationsQueue(int pieceSize)
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("HEAD");
        parser.ExpectResponse("GET");
        var events = Feed(
            parser,
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
            pieceSize);

        Assert.Equal(
            [
                "head HTTP/1.1 200 OK [Content-Length: 3] None",
                "completed keep-alive []",
                "head HTTP/1.1 200 OK [Content-Length: 3] ContentLength 3",
                "data abc",
                "completed keep-alive []",
            ],
            Transcript(events));
    }

    [Theory, PieceSizes]
    public void ConnectionClose_EndsKeepAlive(int pieceSize)
    {
        Assert.Equal(
            "completed close []",
            Run("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", pieceSize)[^1]);
    }

    [Theory, PieceSizes]
    public void Http10_ClosesUnlessKeepAlive(int pieceSize)
    {
        Assert.Equal(
            ["head HTTP/1.0 200 OK [Content-Length: 2] ContentLength 2", "data ab", "completed close []"],
            Run("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nab", pieceSize));
        Assert.Equal(
            "completed keep-alive []",
            Run("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nab", pieceSize)[^1]);
    }

    [Theory, PieceSizes]
    public void Rfc9112_6_1_Http10WithTransferEncoding_Closes(int pieceSize)
    {
        Assert.Equal(
            "completed close []",
            Run("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", pieceSize)[^1]);
    }

    [Theory, PieceSizes]
    public void NoLengthAtAll_BodyRunsUntilClose(int pieceSize)
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("GET");
        var events = Feed(parser, "HTTP/1.1 200 OK\r\n\r\neverything\r\n\r\nuntil close", pieceSize);

        Assert.Equal(
            ["head HTTP/1.1 200 OK [] UntilClose", "data everything\r\n\r\nuntil close"],
            Transcript(events));
        Assert.False(parser.IsIdle);

        parser.ReceiveEof();
        Assert.Equal(["completed close []"], Transcript(Drain(parser)));
        Assert.True(parser.IsIdle);
        Assert.Throws<InvalidOperationException>(() => parser.Receive([1]));
    }

    [Theory, PieceSizes]
    public void TransferEncodingNotEndingInChunked_RunsUntilClose(int pieceSize)
    {
        Assert.Equal(
            ["head HTTP/1.1 200 OK [Transfer-Encoding: chunked, gzip, Content-Length: 2] UntilClose", "data abc", "completed close []"],
            Run("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 2\r\n\r\nabc", pieceSize, eof: true));
    }

    [Theory, PieceSizes]
    public void RepeatedEqualContentLengths_AreOneValue(int pieceSize)
    {
        Assert.Equal(
            "head HTTP/1.1 200 OK [Content-Length: 2, 2, Content-Length: 2] ContentLength 2",
            Run("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nab", pieceSize)[0]);
    }

    [Theory, PieceSizes]
    public void Rfc9112_5_2_ObsFold_IsReplacedBySpace(int pieceSize)
    {
        Assert.Equal(
            "head HTTP/1.1 200 OK [X-Folded: one two three, Content-Length: 0] ContentLength 0",
            Run("HTTP/1.1 200 OK\r\nX-Folded: one\r\n  two\r\n\tthree \r\nContent-Length: 0\r\n\r\n", pieceSize)[0]);
    }

    [Theory, PieceSizes]
    public void EmptyLinesBeforeTheStatusLine_AreSkipped(int pieceSize)
    {
        Assert.Equal(
            "head HTTP/1.1 200 OK [Content-Length: 0] ContentLength 0",
            Run("\r\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", pieceSize)[0]);
    }

    [Theory, PieceSizes]
    public void UnknownStatusCodesAndObsTextReasons_AreKept(int pieceSize)
    {
        Assert.Equal(
            "head HTTP/1.1 799 Caf\u00e9 [Content-Length: 0] ContentLength 0",
            Run("HTTP/1.1 799 Caf\xe9\r\nContent-Length: 0\r\n\r\n", pieceSize)[0]);
    }

    [Fact]
    public void BodyBytes_AreDeliveredAsTheyArrive()
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("GET");
        parser.Receive(Latin1("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"));
        Drain(parser);

        var piece = new byte[4096];
        long received = 0;
        while (received < 1_000_000)
        {
            int size = (int)Math.Min(piece.Length, 1_000_000 - received);
            parser.Receive(piece.AsSpan(0, size));
            var events = Drain(parser);
            received += size;

            // Nothing is held back waiting for the rest of the body.
            Assert.Equal(size, events.OfType<Http1BodyDataReceived>().Sum(d => d.Data.Length));
        }

        Assert.True(parser.IsIdle);
    }

    [Fact]
    public void BodyData_IsACopyTheConsumerMayKeep()
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("GET");
        var input = Latin1("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
        parser.Receive(input);
        input.AsSpan().Fill((byte)'z');

        var data = Drain(parser).OfType<Http1BodyDataReceived>().Single();
        Assert.Equal(Latin1("abc"), data.Data.ToArray());
    }

    [Fact]
    public void HeadEvent_CarriesTypedFields()
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("GET");
        parser.Receive(Latin1("HTTP/1.1 201 Created\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n"));

        Assert.True(parser.TryPollEvent(out var e));
        var head = Assert.IsType<Http1ResponseHeadReceived>(e);
        Assert.Equal("HTTP/1.1", head.Version);
        Assert.Equal(201, head.StatusCode);
        Assert.Equal("Created", head.Reason);
        Assert.Equal(new Primitives.HeaderField("Location", "/x"), head.Headers[0]);
        Assert.Equal(Http1BodyKind.ContentLength, head.BodyKind);
        Assert.Equal(0, head.ContentLength);
        Assert.True(parser.TryPollEvent(out e));
        var completed = Assert.IsType<Http1ResponseCompleted>(e);
        Assert.Empty(completed.Trailers);
        Assert.True(completed.KeepAlive);
    }

    [Fact]
    public void BytesBeforeExpectResponse_WaitForIt()
    {
        var parser = new Http1ResponseParser();
        parser.Receive(Latin1("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        Assert.False(parser.TryPollEvent(out _));
        Assert.True(parser.IsIdle);

        parser.ExpectResponse("GET");
        Assert.Equal(2, Drain(parser).Count);
    }

    [Fact]
    public void EofWhileIdle_IsQuiet_ButAnExpectedResponseIsMissing()
    {
        var idle = new Http1ResponseParser();
        idle.ReceiveEof();
        Assert.True(idle.IsIdle);

        var waiting = new Http1ResponseParser();
        waiting.ExpectResponse("GET");
        var error = Assert.Throws<Http1ProtocolException>(waiting.ReceiveEof);
        Assert.Equal("connection closed before the response", error.Message);
    }

    [Fact]
    public void AfterAnError_TheParserRefusesInputButKeepsEarlierEvents()
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("GET");
        parser.Receive(Latin1("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        Assert.Throws<Http1ProtocolException>(parser.ReceiveEof);

        Assert.Equal(["head HTTP/1.1 200 OK [Content-Length: 10] ContentLength 10", "data abc"], Transcript(Drain(parser)));
        Assert.Throws<InvalidOperationException>(() => parser.Receive([1]));
        Assert.Throws<InvalidOperationException>(() => parser.ExpectResponse("GET"));
    }
}
