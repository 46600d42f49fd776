using System.Buffers;
using System.Text;
using Hxi.Protocols.Http1;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Http1;

public class Http1RequestWriterTests
{
    [Fact]
    public void RequestWithoutBody()
    {
        var output = new ArrayBufferWriter<byte>();
        Http1RequestWriter.Write(output, "GET", "/index.html?q=1", [new("Host", "example.com"), new("accept", "*/*")], null);

        Assert.Equal("GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\naccept: */*\r\n\r\n", Text(output));
    }

    [Fact]
    public void ContentLength_IsAddedAfterTheHeaders()
    {
        var output = new ArrayBufferWriter<byte>();
        Http1RequestWriter.Write(output, "POST", "/submit", [new("Host", "h")], 1234567890123);

        Assert.Equal("POST /submit HTTP/1.1\r\nHost: h\r\nContent-Length: 1234567890123\r\n\r\n", Text(output));
    }

    [Fact]
    public void ZeroContentLength_IsWritten()
    {
        var output = new ArrayBufferWriter<byte>();
        Http1RequestWriter.Write(output, "PUT", "*", [], 0);

        Assert.Equal("PUT * HTTP/1.1\r\nContent-Length: 0\r\n\r\n", Text(output));
    }

    [Fact]
    public void ChunkedBody_WithTrailers()
    {
        var output = new ArrayBufferWriter<byte>();
        Http1RequestWriter.Write(output, "POST", "/upload", [new("Host", "h"), new("Transfer-Encoding", "chunked")], null);
        Http1RequestWriter.WriteChunk(output, "hello"u8);
        Http1RequestWriter.WriteChunk(output, new byte[300]);
        Http1RequestWriter.WriteLastChunk(output, [new("Checksum", "abc")]);

        var expected = "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" +
                       "5\r\nhello\r\n" +
                       "12c\r\n" + new string('\0', 300) + "\r\n" +
                       "0\r\nChecksum: abc\r\n\r\n";
        Assert.Equal(expected, Text(output));
    }

    [Fact]
    public void LastChunk_WithoutTrailers()
    {
        var output = new ArrayBufferWriter<byte>();
        Http1RequestWriter.WriteLastChunk(output, null);

        Assert.Equal("0\r\n\r\n", Text(output));
    }

    [Fact]
    public void Latin1Values_AreOneBytePerCharacter()
    {
        var output = new ArrayBufferWriter<byte>();
        Http1RequestWriter.Write(output, "GET", "/caf\u00e9", [new("X-Name", "J\u00fcrgen\t\u00ff")], null);

        Assert.Equal(Encoding.Latin1.GetBytes("GET /caf\u00e9 HTTP/1.1\r\nX-Name: J\u00fcrgen\t\u00ff\r\n\r\n"), output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("X-Bad\r\nInjected", "v", "field name 'X-Bad\r\nInjected' contains U+000D at index 5")]
    [InlineData("Bad Name", "v", "field name 'Bad Name' contains U+0020 at index 3")]
    [InlineData(":authority", "v", "field name ':authority' contains U+003A at index 0")]
    [InlineData("", "v", "the field name is empty")]
    [InlineData("X", "a\r\nInjected: yes", "value of field 'X' contains U+000D at index 1")]
    [InlineData("X", "a\nb", "value of field 'X' contains U+000A at index 1")]
    [InlineData("X", "a\0b", "value of field 'X' contains U+0000 at index 1")]
    [InlineData("X", "snow\u2603", "value of field 'X' contains U+2603 at index 4")]
    public void InvalidFields_AreRejectedBeforeWriting(string name, string value, string message)
    {
        var output = new ArrayBufferWriter<byte>();
        var error = Assert.Throws<ArgumentException>(
            () => Http1RequestWriter.Write(output, "GET", "/", [new("Host", "h"), new(name, value)], null));

        Assert.Contains(message, error.Message);
        Assert.Equal(0, output.WrittenCount);

        Assert.Throws<ArgumentException>(() => Http1RequestWriter.WriteLastChunk(output, [new(name, value)]));
        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [InlineData("GET /", "/", "method 'GET /' contains U+0020 at index 3")]
    [InlineData("", "/", "the method is empty")]
    [InlineData("GET", "/a b", "request target contains U+0020 at index 2")]
    [InlineData("GET", "/a\r\n", "request target contains U+000D at index 2")]
    [InlineData("GET", "", "the request target is empty")]
    public void InvalidRequestLines_AreRejected(string method, string target, string message)
    {
        var output = new ArrayBufferWriter<byte>();
        var error = Assert.Throws<ArgumentException>(() => Http1RequestWriter.Write(output, method, target, [], null));

        Assert.Contains(message, error.Message);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void ContentLength_ConflictsWithFramingHeaders()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(
            () => Http1RequestWriter.Write(output, "POST", "/", [new("content-length", "5")], 5));
        Assert.Throws<ArgumentException>(
            () => Http1RequestWriter.Write(output, "POST", "/", [new("Transfer-Encoding", "chunked")], 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Http1RequestWriter.Write(output, "POST", "/", [], -1));
        Assert.Equal(0, output.WrittenCount);

        // Without contentLength the caller's own framing fields are written as given.
        Http1RequestWriter.Write(output, "POST", "/", [new("Content-Length", "5")], null);
        Assert.Equal("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", Text(output));
    }

    [Fact]
    public void EmptyChunk_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Http1RequestWriter.WriteChunk(new ArrayBufferWriter<byte>(), []));
        Assert.Contains("WriteLastChunk", error.Message);
    }

    [Fact]
    public void WrittenChunks_ParseBack()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"u8);
        Http1RequestWriter.WriteChunk(output, "abc"u8);
        Http1RequestWriter.WriteLastChunk(output, [new("T", "v")]);

        var parser = new Http1ResponseParser();
        parser.ExpectResponse("GET");
        parser.Receive(output.WrittenSpan);

        Assert.Equal(
            ["head HTTP/1.1 200 OK [Transfer-Encoding: chunked] Chunked", "chunk 3", "data abc", "chunk 0", "completed keep-alive [T: v]"],
            Http1ParserHarness.Transcript(Http1ParserHarness.Drain(parser)));
    }

    private static string Text(ArrayBufferWriter<byte> output) => Encoding.Latin1.GetString(output.WrittenSpan);
}
