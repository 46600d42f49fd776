using Hxi.Protocols.Http1;
using Hxi.Protocols.Trace;
using static Hxi.Protocols.Tests.Http1.Http1ParserHarness;

namespace Hxi.Protocols.Tests.Http1;

public class Http1ChunkedResponseTests
{
    [Theory, PieceSizes]
    public void ChunkedBody_ReportsEachChunkBoundary(int pieceSize)
    {
        var transcript = Run(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5\r\nhello\r\n" +
            "7\r\n, world\r\n" +
            "0\r\n\r\n",
            pieceSize);

        Assert.Equal(
            [
                "head HTTP/1.1 200 OK [Transfer-Encoding: chunked] Chunked",
                "chunk 5",
                "data hello",
                "chunk 7",
                "data , world",
                "chunk 0",
                "completed keep-alive []",
            ],
            transcript);
    }

    [Theory, PieceSizes]
    public void Rfc9112_7_1_ExtensionsAndTrailers(int pieceSize)
    {
        var transcript = Run(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\nContent-Length: 99\r\n\r\n" +
            "1A ; name=value;quoted=\"a;b\"\r\nabcdefghijklmnopqrstuvwxyz\r\n" +
            "000;last\r\n" +
            "Server-Timing: total;dur=12\r\nChecksum:  abc \r\n\r\n",
            pieceSize);

        Assert.Equal(
            [
                "head HTTP/1.1 200 OK [Transfer-Encoding: gzip, Chunked, Content-Length: 99] Chunked",
                "chunk 26; name=value;quoted=\"a;b\"",
                "data abcdefghijklmnopqrstuvwxyz",
                "chunk 0;last",
                "completed keep-alive [Server-Timing: total;dur=12, Checksum: abc]",
            ],
            transcript);
    }

    [Theory, PieceSizes]
    public void BareLfLineEnds_InChunkedFraming(int pieceSize)
    {
        Assert.Equal(
            ["head HTTP/1.1 200 OK [Transfer-Encoding: chunked] Chunked", "chunk 2", "data hi", "chunk 0", "completed keep-alive []"],
            Run("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nhi\n0\n\n", pieceSize));
    }

    [Theory, PieceSizes]
    public void ChunkedThenNextResponse_InOneBuffer(int pieceSize)
    {
        var parser = new Http1ResponseParser();
        parser.ExpectResponse("GET");
        parser.ExpectResponse("GET");
        var events = Feed(
            parser,
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n" +
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nb",
            pieceSize);

        Assert.Equal(
            [
                "head HTTP/1.1 200 OK [Transfer-Encoding: chunked] Chunked",
                "chunk 1",
                "data a",
                "chunk 0",
                "completed keep-alive []",
                "head HTTP/1.1 200 OK [Content-Length: 1, Connection: close] ContentLength 1",
                "data b",
                "completed close []",
            ],
            Transcript(events));
    }

    [Theory, PieceSizes]
    public void WireTap_SeesEveryByteOnce(int pieceSize)
    {
        const string Response =
            "\r\n" +
            "HTTP/1.1 100 Continue\r\n\r\n" +
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nabc\r\n0\r\nT: v\r\n\r\n";
        var tap = new RecordingTap();
        var parser = new Http1ResponseParser(tap: tap);
        parser.ExpectResponse("POST");
        Feed(parser, Response, pieceSize);

        Assert.Equal(Response, string.Concat(tap.Records.Select(r => r.Text)));
        Assert.All(tap.Records, r => Assert.Equal(WireLayer.Http1, r.Layer));
        Assert.Null(tap.Records[0].Decoded);
        Assert.IsType<Http1InterimResponseReceived>(tap.Records[1].Decoded);
        Assert.Equal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", tap.Records[2].Text);
        Assert.Equal(new Http1ChunkStarted(3, ";x=1"), tap.Records[3].Decoded);
        Assert.IsType<Http1ResponseCompleted>(tap.Records[^1].Decoded);
    }

    private sealed class RecordingTap : IWireTap
    {
        public List<(string Text, WireLayer Layer, object? Decoded)> Records { get; } = [];

        public void Record(in WireRecord record)
        {
            var text = System.Text.Encoding.Latin1.GetString(record.Bytes.Span);

            // Body data may arrive in several records; join them so piece size does not show.
            if (record.Decoded is Http1BodyDataReceived && Records is [.., { Decoded: Http1BodyDataReceived } last])
            {
                Records[^1] = last with { Text = last.Text + text };
                return;
            }

            Records.Add((text, record.Layer, record.Decoded));
        }
    }
}
