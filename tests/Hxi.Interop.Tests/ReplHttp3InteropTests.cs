namespace Hxi.Interop.Tests;

/// <summary>
/// hxi repl --http3-only against Caddy's HTTP/3 (quic-go), run as a user would with --script: QUIC PING,
/// a second SETTINGS, requests typed and short, GREASE ignored, an illegal control stream closed and explained.
/// </summary>
[Collection(CaddyCollection.Name)]
public sealed class CaddyHttp3ReplTests(CaddyFixture caddy)
{
    [RequiresPeerFact("caddy")]
    public async Task PingSettingsTypedRequestInterleavedGetsGreaseAndQuicStats()
    {
        var result = await ReplScript.RunAsync(caddy.BaseHttps + "/", caddy.CaPath, """
            ping
            settings QPACK_MAX_TABLE_CAPACITY=0
            GET /json HTTP/1.1
            Host: localhost
            Accept: application/json

            get /a /b /c
            open-uni grease
            wait 200ms
            get /json
            quit
            """, "--http3-only");

        var output = result.StdOut;
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{output}\n{result.StdErr}\n{caddy.Log}");
        Assert.Contains($"h3 localhost:{caddy.HttpsPort}> ping", output);
        Assert.Contains("send QUIC PING", output);
        Assert.Contains("; PING acknowledged: a packet came back in", output);
        // Caddy 2.6 reads only the first frame of hxi's control stream, so the second SETTINGS goes unanswered.
        Assert.Contains("send SETTINGS frame <length=2, stream_id=2>", output);
        Assert.Contains("; GET /json HTTP/1.1 mapped to HTTP/3 HEADERS:", output);
        Assert.Contains("{\"proto\":\"HTTP/3.0\",\"method\":\"GET\"}", output);
        Assert.Matches(@"/a\s+4\s+404", output);
        Assert.Matches(@"/b\s+8\s+404", output);
        Assert.Matches(@"/c\s+12\s+404", output);
        // Concurrent: the third request goes out before the last answer comes back. (Unlike HTTP/2 each request
        // is its own hop to the QUIC driver thread, so a quick server may answer the first before the third is sent.)
        var command = output.IndexOf("get /a /b /c", StringComparison.Ordinal);
        var exchange = output[command..output.IndexOf("#    target", command, StringComparison.Ordinal)];
        var lastSent = System.Text.RegularExpressions.Regex.Match(exchange, @"send HEADERS frame <length=\d+, stream_id=12>").Index;
        var lastAnswer = exchange.LastIndexOf("recv HEADERS frame", StringComparison.Ordinal);
        Assert.InRange(lastSent, 1, lastAnswer);
        Assert.Contains("send stream 14 opened as GREASE", output);
        Assert.Contains("; the server stopped reading stream 14 with H3_STREAM_CREATION_ERROR: that is how RFC 9114 6.2.3", output);
        Assert.Contains("; stream 16: 200", output);
        Assert.Contains("session statistics", output);
        Assert.Contains("1 opened (0 reconnects", output);
        Assert.Matches(@"quic packets\s+\d+ sent, \d+ received, \d+ lost", output);
        Assert.Matches(@"quic rtt\s+min \d+\.\d ms, smoothed \d+\.\d ms", output);
        Assert.Matches(@"quic cwnd\s+\d+ bytes", output);
    }

    [RequiresPeerFact("caddy")]
    public async Task IllegalControlStream_IsAnsweredByConnectionClose_ExplainedByName_ThenReconnects()
    {
        var result = await ReplScript.RunAsync(caddy.BaseHttps + "/", caddy.CaPath, """
            open-uni control
            raw-frame 0x0 68656c6c6f --stream 14
            wait close 5s
            get /json
            quit
            """, "--http3-only", "--no-frames");

        var output = result.StdOut;
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{output}\n{result.StdErr}");
        Assert.Contains("! the server closed the connection (CONNECTION_CLOSE) with H3_MISSING_SETTINGS", output);
        Assert.Contains("H3_MISSING_SETTINGS: the control stream did not begin with SETTINGS", output);
        Assert.Contains("the last thing hxi sent by hand was a raw DATA frame on stream 14", output);
        Assert.Contains("; reconnecting to", output);
        Assert.Contains("{\"proto\":\"HTTP/3.0\",\"method\":\"GET\"}", output);
    }

    [RequiresPeerFact("caddy")]
    public async Task UnexpectedClose_ExitsSix_AndBadInputExitsTwo_WithTheSessionKeptAlive()
    {
        var closed = await ReplScript.RunAsync(caddy.BaseHttps + "/", caddy.CaPath, """
            open-uni push
            wait 500ms
            quit
            """, "--http3-only", "--no-frames");
        var badInput = await ReplScript.RunAsync(caddy.BaseHttps + "/", caddy.CaPath, """
            reset-stream 0 NOT_A_CODE
            stream-bytes 99 00
            get /json
            quit
            """, "--http3-only", "--no-frames");

        Assert.True(closed.ExitCode == 6, $"exit {closed.ExitCode}\n{closed.StdOut}");
        Assert.Contains("! the server closed the connection (CONNECTION_CLOSE) with H3_STREAM_CREATION_ERROR", closed.StdOut);
        Assert.Contains("session statistics", closed.StdOut);
        Assert.True(badInput.ExitCode == 2, $"exit {badInput.ExitCode}\n{badInput.StdOut}");
        Assert.Contains("error: unknown HTTP/3 error code 'NOT_A_CODE'", badInput.StdOut);
        Assert.Contains("error: stream-bytes: ", badInput.StdOut);
        Assert.Contains("{\"proto\":\"HTTP/3.0\",\"method\":\"GET\"}", badInput.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task Http3Only_WithoutQuicThere_FailsClearly_WithoutFallingBack()
    {
        // The clear-text port has no UDP listener, so the QUIC handshake finds no one.
        var result = await ReplScript.RunAsync($"https://localhost:{caddy.HttpPort}/", caddy.CaPath, "quit\n", "--http3-only", "--connect-timeout", "1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--http3-only: no fallback to TCP", result.StdOut);
    }
}
