using Hxi.Protocols.Http1;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Tests.Http1;

/// <summary>
/// Issue #9: bytes of another protocol where an HTTP/1.1 status line belonged are named (an h2c-only server answers
/// with SETTINGS), and the parser shows them on the tap before it fails.
/// </summary>
public class Http1ForeignBytesTests
{
    // nghttpd --no-tls answering an HTTP/1.1 request: SETTINGS (MAX_CONCURRENT_STREAMS=100).
    private static readonly byte[] NghttpdSettings = Convert.FromHexString("000006040000000000000300000064");

    [Fact]
    public void SettingsFrame_IsHttp2()
    {
        Assert.Equal((Http1ForeignProtocol.Http2, "an HTTP/2 SETTINGS frame"), Http1ForeignBytes.Identify(NghttpdSettings));
    }

    [Fact]
    public void GoAwayFrame_IsHttp2()
    {
        var goAway = Convert.FromHexString("0000080700000000000000000000000001");
        Assert.Equal((Http1ForeignProtocol.Http2, "an HTTP/2 GOAWAY frame"), Http1ForeignBytes.Identify(goAway));
    }

    [Fact]
    public void Preface_IsHttp2()
    {
        Assert.Equal(Http1ForeignProtocol.Http2, Http1ForeignBytes.Identify("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8).Protocol);
    }

    [Fact]
    public void TlsAlert_IsTls()
    {
        Assert.Equal((Http1ForeignProtocol.Tls, "a TLS alert"), Http1ForeignBytes.Identify([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]));
    }

    [Theory]
    [InlineData("xyzzy-garbage")]
    [InlineData("000006010000000001")] // HEADERS on stream 1: not what a server opens with
    [InlineData("000007040000000000")] // SETTINGS whose length is not a multiple of 6
    public void OtherBytes_AreNotNamed(string text)
    {
        var bytes = text.All(Uri.IsHexDigit) ? Convert.FromHexString(text) : System.Text.Encoding.ASCII.GetBytes(text);
        Assert.Equal(Http1ForeignProtocol.None, Http1ForeignBytes.Identify(bytes).Protocol);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void Parser_NamesHttp2_AndTapsTheBytes_BeforeFailing(int pieceSize)
    {
        var tap = new RecordingTap();
        var parser = new Http1ResponseParser(tap: tap);
        parser.ExpectResponse("GET");

        var ex = Assert.Throws<Http1ProtocolException>(() =>
        {
            for (var offset = 0; offset < NghttpdSettings.Length; offset += pieceSize)
            {
                parser.Receive(NghttpdSettings.AsSpan(offset, Math.Min(pieceSize, NghttpdSettings.Length - offset)));
            }
        });

        Assert.Equal(Http1ForeignProtocol.Http2, ex.Foreign);
        Assert.Equal("the server answered with an HTTP/2 SETTINGS frame where an HTTP/1.1 status line belonged", ex.Message);
        var record = Assert.Single(tap.Records);
        Assert.Equal(WireDirection.Received, record.Direction);
        Assert.Equal(ex.Message, Assert.IsType<UnparsedBytes>(record.Decoded).Reason);
        Assert.Equal(NghttpdSettings[..record.Bytes.Length], record.Bytes.ToArray());
        Assert.True(record.Bytes.Length >= Http1ForeignBytes.BytesNeeded);
    }

    [Fact]
    public void MalformedHeaderLine_TapsTheHeadSoFar_BeforeFailing()
    {
        var tap = new RecordingTap();
        var parser = new Http1ResponseParser(tap: tap);
        parser.ExpectResponse("GET");

        Assert.Throws<Http1ProtocolException>(() => parser.Receive("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"u8));

        var record = Assert.Single(tap.Records);
        Assert.IsType<UnparsedBytes>(record.Decoded);
        Assert.StartsWith("HTTP/1.1 200 OK\r\nno colon here", System.Text.Encoding.Latin1.GetString(record.Bytes.Span));
    }

    private sealed class RecordingTap : IWireTap
    {
        public List<WireRecord> Records { get; } = [];

        public void Record(in WireRecord record) => Records.Add(record with { Bytes = record.Bytes.ToArray() });
    }
}
