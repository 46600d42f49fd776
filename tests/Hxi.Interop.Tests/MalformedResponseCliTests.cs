using Hxi.Net.Tests;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http3;

namespace Hxi.Interop.Tests;

/// <summary>
/// Issue 9's found failures, as a user meets them: the hxi process against the hostile server kits. A malformed
/// response (RFC 9113 8.1.1, RFC 9114 4.1.2) and a preface that is not SETTINGS (RFC 9113 3.4) end with exit
/// status 6 and exactly one stderr line naming the rule and the section, at once, never an internal error.
/// </summary>
[Trait("Category", "Interop")]
public sealed class MalformedResponseCliTests
{
    /// <summary>Process start-up included; the failure itself takes milliseconds (the request timeout is far longer).</summary>
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(15);

    // HPACK: :status 200 (static index 8), then content-length (static 28) "1000" as a literal without indexing.
    private static readonly byte[] Status200ContentLength1000 = [0x88, 0x0f, 0x0d, 0x04, .. "1000"u8];

    // QPACK: no dynamic table, :status 200 (static 25), content-length (static 4) "1000" as a literal with a static name.
    private static readonly byte[] Http3Status200ContentLength1000 = [0x00, 0x00, 0xd9, 0x54, 0x04, .. "1000"u8];

    [Fact]
    public async Task Http2_ContentLength1000_Then10Bytes_Exits6_NamingRfc9113_8_1_1()
    {
        await using var server = HostileServer.AfterRequest(async (frames, ct) =>
        {
            await frames.WriteFrameAsync(WireFrame.Headers, WireFrame.EndHeaders, 1, Status200ContentLength1000, ct);
            await frames.WriteFrameAsync(WireFrame.Data, WireFrame.EndStream, 1, "0123456789"u8, ct);
        });

        var result = await RunAsync("--http2-prior-knowledge", server.Url.ToString());

        AssertOneLine(result,
            "hxi: error: malformed response on stream 1: content-length 1000 but 10 bytes of DATA (RFC 9113 8.1.1); hxi reset the stream with PROTOCOL_ERROR");
        var sent = await server.ClientFramesAsync();
        Assert.Contains(sent, f => f.Type == WireFrame.RstStream && f.StreamId == 1 && f.ErrorCode == (uint)Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public async Task Http2_DataBeforeHeaders_Exits6_NamingRfc9113_8_1()
    {
        await using var server = HostileServer.AfterRequest((frames, ct) =>
            frames.WriteFrameAsync(WireFrame.Data, WireFrame.EndStream, 1, "surprise"u8, ct));

        var result = await RunAsync("--http2-prior-knowledge", server.Url.ToString());

        AssertOneLine(result,
            "hxi: error: malformed response on stream 1: DATA before the response's HEADERS (RFC 9113 8.1); hxi reset the stream with PROTOCOL_ERROR");
        Assert.Equal("", result.StdOut);
        var sent = await server.ClientFramesAsync();
        Assert.Contains(sent, f => f.Type == WireFrame.RstStream && f.StreamId == 1 && f.ErrorCode == (uint)Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public async Task Http2_PingInsteadOfSettings_Exits6_AtOnce_NamingRfc9113_3_4()
    {
        const byte ping = 0x6;
        await using var server = HostileServer.Scripted(async (frames, ct) =>
        {
            await frames.ReadPrefaceAsync(ct);
            await frames.WriteFrameAsync(ping, 0, 0, new byte[8], ct);
        });

        // A timeout far beyond the time bound: hxi must fail on the PING, not wait for --timeout.
        var result = await RunAsync("--http2-prior-knowledge", "--timeout", "60", server.Url.ToString());

        AssertOneLine(result,
            "hxi: error: hxi closed the connection with GOAWAY PROTOCOL_ERROR: the server's first frame is PING, not SETTINGS (RFC 9113 3.4)");
        var sent = await server.ClientFramesAsync();
        Assert.Contains(sent, f => f.Type == WireFrame.GoAway && f.ErrorCode == (uint)Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public async Task Http3_ContentLength1000_Then10Bytes_Exits6_NamingRfc9114_4_1_2()
    {
        await using var server = HostileHttp3Server.AfterRequest(h3 =>
        {
            h3.Request(RawHttp3.Frame(RawHttp3.Headers, Http3Status200ContentLength1000));
            h3.Request(RawHttp3.Frame(RawHttp3.Data, "0123456789"u8.ToArray()), fin: true);
        });

        var result = await RunAsync("--cacert", server.CaPath, "--http3-only", server.Url.ToString());

        AssertOneLine(result,
            "hxi: error: malformed response on stream 0: content-length 1000 but 10 bytes of DATA (RFC 9114 4.1.2); hxi reset the stream with H3_MESSAGE_ERROR");
    }

    [Fact]
    public async Task Http3_DataPastContentLength_StopsTheStreamWithMessageError()
    {
        // The stream stays open (no FIN), so the reset reaches the server: STOP_SENDING H3_MESSAGE_ERROR on the request stream.
        await using var server = HostileHttp3Server.AfterRequest(h3 =>
        {
            h3.Request(RawHttp3.Frame(RawHttp3.Headers, [0x00, 0x00, 0xd9, 0x54, 0x01, (byte)'5']));
            h3.Request(RawHttp3.Frame(RawHttp3.Data, "0123456789"u8.ToArray()));
        });

        var result = await RunAsync("--cacert", server.CaPath, "--http3-only", server.Url.ToString());

        AssertOneLine(result,
            "hxi: error: malformed response on stream 0: content-length 5 but 10 bytes of DATA (RFC 9114 4.1.2); hxi reset the stream with H3_MESSAGE_ERROR");
        Assert.Equal((ulong)Http3ErrorCode.MessageError, await server.RequestStoppedAsync());
    }

    private static Task<ProcessResult> RunAsync(params string[] arguments) => HxiRunner.RunAsync(arguments, TimeSpan.FromSeconds(60));

    private static void AssertOneLine(ProcessResult result, string line)
    {
        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Equal(line + "\n", result.StdErr);
        Assert.DoesNotContain("internal error", result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.True(result.Elapsed < Quickly, result.ToString());
    }
}
