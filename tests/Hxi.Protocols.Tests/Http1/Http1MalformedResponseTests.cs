using Hxi.Protocols.Http1;
using static Hxi.Protocols.Tests.Http1.Http1ParserHarness;

namespace Hxi.Protocols.Tests.Http1;

/// <summary>Every malformed input and limit violation ends in an Http1ProtocolException that names it.</summary>
public class Http1MalformedResponseTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\n";
    private const string Chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

    [Theory, PieceSizes]
    public void NotHttp_FailsOnTheFirstBytes(int pieceSize)
    {
        // A TLS alert answering a cleartext request: no line end will ever come.
        Assert.Equal("the server answered with a TLS alert where an HTTP/1.1 status line belonged", Error("\x15\x03\x03\x00\x02\x02", pieceSize));
        Assert.Equal("the server answered with the HTTP/2 connection preface where an HTTP/1.1 status line belonged", Error("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", pieceSize));
        Assert.Equal(@"invalid status line: starts with 'HT\x0D', not 'HTTP/'", Error("HT\r\n", pieceSize));
        Assert.Equal("invalid status line: starts with 'HTTPS', not 'HTTP/'", Error("HTTPS/1.1 200 OK\r\n", pieceSize));
    }

    [Theory]
    [InlineData("HTTP/1.1 200OK")]
    [InlineData("HTTP/1.1  200 OK")]
    [InlineData("HTTP/1.1 20 OK")]
    [InlineData("HTTP/11 200 OK")]
    [InlineData("HTTP/1.1")]
    [InlineData("HTTP/1.1 2000 OK")]
    public void MalformedStatusLines(string statusLine)
    {
        foreach (int pieceSize in new[] { 1, 3, PieceSizesAttribute.Whole })
        {
            Assert.Equal($"invalid status line '{statusLine}'", Error(statusLine + "\r\n\r\n", pieceSize));
        }
    }

    [Theory, PieceSizes]
    public void StatusCodeAndVersionProblems(int pieceSize)
    {
        Assert.Equal("invalid status code '099'", Error("HTTP/1.1 099 Low\r\n\r\n", pieceSize));
        Assert.Equal("invalid status code '2x0'", Error("HTTP/1.1 2x0 OK\r\n\r\n", pieceSize));
        Assert.Equal("unsupported HTTP version 'HTTP/2.0'", Error("HTTP/2.0 200 OK\r\n\r\n", pieceSize));
        Assert.Equal(@"invalid character 0x01 in reason phrase 'O\x01K'", Error("HTTP/1.1 200 O\x01K\r\n\r\n", pieceSize));
        Assert.Equal(@"invalid character 0x0D in reason phrase 'O\x0DK'", Error("HTTP/1.1 200 O\rK\r\n\r\n", pieceSize));
    }

    [Theory, PieceSizes]
    public void StatusLineLimit(int pieceSize)
    {
        var limits = new Http1ParserLimits { MaxStatusLineLength = 20 };
        Assert.Equal("status line longer than 20 bytes", Error("HTTP/1.1 200 " + new string('x', 9), pieceSize, limits: limits));
        Assert.Equal("status line longer than 20 bytes", Error("HTTP/1.1 200 " + new string('x', 8) + "\r\n", pieceSize, limits: limits));

        // Exactly at the limit, with its CR still waiting for the LF, is fine.
        Assert.Equal("completed keep-alive []",
            Run("HTTP/1.1 200 " + new string('x', 7) + "\r\nContent-Length: 0\r\n\r\n", pieceSize, limits: limits)[^1]);
        Assert.Equal("status line longer than 8192 bytes", Error("HTTP/1.1 200 " + new string('x', 8200), pieceSize));
    }

    [Theory, PieceSizes]
    public void MalformedHeaderLines(int pieceSize)
    {
        Assert.Equal("header line without a colon: 'NoColon'", Error(Ok + "NoColon\r\n\r\n", pieceSize));
        Assert.Equal("empty header field name in ': v'", Error(Ok + ": v\r\n\r\n", pieceSize));
        Assert.Equal("whitespace between header field name 'Host' and colon", Error(Ok + "Host : x\r\n\r\n", pieceSize));
        Assert.Equal("invalid character 0x40 in header field name 'B@d'", Error(Ok + "B@d: x\r\n\r\n", pieceSize));
        Assert.Equal("NUL in value of header field 'X'", Error(Ok + "X: a\0b\r\n\r\n", pieceSize));
        Assert.Equal("bare CR in value of header field 'X'", Error(Ok + "X: a\rb\r\n\r\n", pieceSize));
        Assert.Equal("whitespace before the first header field", Error(Ok + " X: folded\r\n\r\n", pieceSize));
        Assert.Equal("bare CR in value of header field 'X'", Error(Ok + "X: a\r\n b\rc\r\n\r\n", pieceSize));
    }

    [Theory, PieceSizes]
    public void HeaderSectionLimits(int pieceSize)
    {
        var small = new Http1ParserLimits { MaxHeaderBytes = 30, MaxHeaderCount = 2 };
        Assert.Equal("header section longer than 30 bytes", Error(Ok + "X: " + new string('v', 40), pieceSize, limits: small));
        Assert.Equal("header section longer than 30 bytes", Error(Ok + "A: 1234567890\r\nB: 1234567890\r\n\r\n", pieceSize, limits: small));
        Assert.Equal("more than 2 header fields", Error(Ok + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n", pieceSize, limits: small));

        var many = string.Concat(Enumerable.Range(0, 257).Select(i => $"H{i}: v\r\n"));
        Assert.Equal("more than 256 header fields", Error(Ok + many + "\r\n", pieceSize));
        Assert.Equal("header section longer than 65536 bytes", Error(Ok + "X: " + new string('v', 70_000) + "\r\n", pieceSize));
    }

    [Theory, PieceSizes]
    public void ContentLengthProblems(int pieceSize)
    {
        Assert.Equal("Content-Length values differ: 5, 6", Error(Ok + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", pieceSize));
        Assert.Equal("Content-Length values differ: 5, 6", Error(Ok + "Content-Length: 5, 6\r\n\r\n", pieceSize));
        Assert.Equal("invalid Content-Length 'abc'", Error(Ok + "Content-Length: abc\r\n\r\n", pieceSize));
        Assert.Equal("invalid Content-Length '-1'", Error(Ok + "Content-Length: -1\r\n\r\n", pieceSize));
        Assert.Equal("invalid Content-Length '+1'", Error(Ok + "Content-Length: +1\r\n\r\n", pieceSize));
        Assert.Equal("invalid Content-Length '1 2'", Error(Ok + "Content-Length: 1 2\r\n\r\n", pieceSize));
        Assert.Equal("invalid Content-Length ''", Error(Ok + "Content-Length:\r\n\r\n", pieceSize));
        Assert.Equal("Content-Length '99999999999999999999' is too large", Error(Ok + "Content-Length: 99999999999999999999\r\n\r\n", pieceSize));
        Assert.Equal("Transfer-Encoding has no codings", Error(Ok + "Transfer-Encoding: ,\r\n\r\n", pieceSize));
    }

    [Theory, PieceSizes]
    public void TruncatedMessages_AtEof(int pieceSize)
    {
        Assert.Equal("connection closed after 3 of 10 body bytes",
            Error(Ok + "Content-Length: 10\r\n\r\nabc", pieceSize, eof: true));
        Assert.Equal("connection closed inside the status line", Error("HTTP/1.1 20", pieceSize, eof: true));
        Assert.Equal("connection closed inside the header section", Error(Ok + "A: b\r\n", pieceSize, eof: true));
        Assert.Equal("connection closed inside the chunked body", Error(Chunked + "5\r\nab", pieceSize, eof: true));
        Assert.Equal("connection closed inside the chunked body", Error(Chunked + "5\r\nabcde\r\n", pieceSize, eof: true));
        Assert.Equal("connection closed inside the trailer section", Error(Chunked + "0\r\nT: v\r\n", pieceSize, eof: true));
    }

    [Theory, PieceSizes]
    public void MalformedChunkSizes(int pieceSize)
    {
        Assert.Equal("invalid chunk size 'zz'", Error(Chunked + "zz\r\n", pieceSize));
        Assert.Equal("invalid chunk size ''", Error(Chunked + "\r\n", pieceSize));
        Assert.Equal("invalid chunk size '-5'", Error(Chunked + "-5\r\n", pieceSize));
        Assert.Equal("invalid chunk size '5x'", Error(Chunked + "5x\r\n", pieceSize));
        Assert.Equal("invalid chunk size '0x5'", Error(Chunked + "0x5\r\n", pieceSize));
        Assert.Equal("invalid chunk size ';ext'", Error(Chunked + ";ext\r\n", pieceSize));
        Assert.Equal(@"invalid character 0x00 in chunk extension ';a=\x00'", Error(Chunked + "5;a=\0\r\n", pieceSize));
        Assert.Equal("chunk size '8000000000000000' is too large", Error(Chunked + "8000000000000000\r\n", pieceSize));
        Assert.Equal("chunk size '10000000000000000000' is too large", Error(Chunked + "10000000000000000000\r\n", pieceSize));
    }

    [Theory, PieceSizes]
    public void LargeButValidChunkSizes_AreAccepted(int pieceSize)
    {
        Assert.Equal("chunk 9223372036854775807", Run(Chunked + "7fffffffffffffff\r\nab", pieceSize)[1]);
        Assert.Equal("chunk 1", Run(Chunked + "00000000000000000000001\r\na", pieceSize)[1]);
    }

    [Theory, PieceSizes]
    public void ChunkSizeLineLimit(int pieceSize)
    {
        Assert.Equal("chunk size line longer than 1024 bytes", Error(Chunked + "5;" + new string('e', 1100), pieceSize));
        Assert.Equal("chunk size line longer than 1024 bytes", Error(Chunked + new string('0', 1025) + "\r\n", pieceSize));
    }

    [Theory, PieceSizes]
    public void MissingCrlfAfterChunkData(int pieceSize)
    {
        Assert.Equal("missing CRLF after chunk data: found 'x'", Error(Chunked + "2\r\nabxy", pieceSize));
        Assert.Equal(@"missing CRLF after chunk data: found '\x0Dx'", Error(Chunked + "2\r\nab\rx", pieceSize));
    }

    [Theory, PieceSizes]
    public void TrailerProblems(int pieceSize)
    {
        Assert.Equal("trailer line without a colon: 'junk'", Error(Chunked + "0\r\njunk\r\n\r\n", pieceSize));
        Assert.Equal("whitespace before the first trailer field", Error(Chunked + "0\r\n T: v\r\n\r\n", pieceSize));
        Assert.Equal("trailer section longer than 16384 bytes", Error(Chunked + "0\r\nT: " + new string('v', 17_000), pieceSize));
        var many = string.Concat(Enumerable.Range(0, 257).Select(i => $"T{i}: v\r\n"));
        Assert.Equal("more than 256 trailer fields", Error(Chunked + "0\r\n" + many + "\r\n", pieceSize));
    }
}
