namespace Hxi.Interop.Tests;

/// <summary>
/// hxi repl against real peers, run as a user would (<c>hxi repl URL --script FILE</c>): the issue's
/// "Must show" session against Caddy, and the frame commands against nghttpd.
/// </summary>
public static class ReplScript
{
    public static async Task<ProcessResult> RunAsync(string url, string caPath, string script, params string[] extra)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hxi-repl-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, script);
        try
        {
            return await HxiRunner.RunAsync(["repl", url, "--cacert", caPath, "--script", path, .. extra], TimeSpan.FromSeconds(60));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

[Collection(CaddyCollection.Name)]
public sealed class CaddyReplTests(CaddyFixture caddy)
{
    [RequiresPeerFact("caddy")]
    public async Task MustShow_PingSettingsTypedRequestInterleavedGetsRawFrameGoAwayAndStats()
    {
        var result = await ReplScript.RunAsync(caddy.BaseHttps + "/", caddy.CaPath, """
            ping
            wait frame PING
            settings MAX_CONCURRENT_STREAMS=5
            wait frame SETTINGS
            GET /json HTTP/1.1
            Host: localhost
            Accept: application/json

            get /a /b /c
            raw 0x0 0x1 99 68656c6c6f
            wait frame GOAWAY
            quit
            """);

        var output = result.StdOut;
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{output}\n{result.StdErr}\n{caddy.Log}");
        Assert.Contains($"h2 localhost:{caddy.HttpsPort}> ping", output);
        Assert.Contains("; PING answered in", output);
        Assert.Contains("[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):5]", output);
        Assert.Contains("; GET /json HTTP/1.1 mapped to HTTP/2 HEADERS:", output);
        Assert.Contains("{\"proto\":\"HTTP/2.0\",\"method\":\"GET\"}", output);
        Assert.Matches(@"/a\s+3\s+404", output);
        Assert.Matches(@"/b\s+5\s+404", output);
        Assert.Matches(@"/c\s+7\s+404", output);
        // Interleaved: the three HEADERS go out before the first answer comes back.
        var lastSent = output.IndexOf("send HEADERS frame <length=", output.IndexOf("stream_id=7>", StringComparison.Ordinal) - 60, StringComparison.Ordinal);
        var firstAnswer = output.IndexOf("recv HEADERS frame", output.IndexOf("get /a /b /c", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.InRange(lastSent, 0, firstAnswer);
        Assert.Contains("send DATA frame <length=5, flags=0x01, stream_id=99>", output);
        Assert.Contains("error_code=PROTOCOL_ERROR(0x01)", output);
        Assert.Contains("! the server sent GOAWAY PROTOCOL_ERROR", output);
        Assert.Contains("PROTOCOL_ERROR: the peer saw something RFC 9113 forbids", output);
        Assert.Contains("session statistics", output);
        Assert.Matches(@"frames recv\s+\d+: .*GOAWAY 1", output);
    }

    [RequiresPeerFact("caddy")]
    public async Task Http11Repl_ShowsRawResponse_AndKeepAlive()
    {
        var result = await ReplScript.RunAsync(caddy.BaseHttp + "/", caddy.CaPath, """
            GET /json HTTP/1.1
            Host: localhost

            get /
            quit
            """, "--no-frames");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.StdOut}\n{result.StdErr}");
        Assert.Contains("HTTP/1.1 200 OK", result.StdOut);
        Assert.Contains("{\"proto\":\"HTTP/1.1\",\"method\":\"GET\"}", result.StdOut);
        Assert.Contains("; reusing the kept-alive connection (request 2 on it)", result.StdOut);
        Assert.Contains(CaddyConfig.RootText, result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task H2cPriorKnowledge_AndBigHeaders_ArriveAsHeadersAndContinuation()
    {
        var result = await ReplScript.RunAsync(caddy.BaseHttp + "/", caddy.CaPath, "get /big\nquit\n", "--http2-prior-knowledge");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.StdOut}\n{result.StdErr}");
        Assert.Contains("recv CONTINUATION frame", result.StdOut);
        Assert.Contains("; stream 1: 200", result.StdOut);
    }
}

[Collection(NghttpdCollection.Name)]
public sealed class NghttpdReplTests(NghttpdFixture nghttpd)
{
    [RequiresPeerFact("nghttpd")]
    public async Task FrameCommands_AgainstNghttpd()
    {
        var result = await ReplScript.RunAsync(nghttpd.BaseHttps + "/", nghttpd.CaPath, """
            ping
            wait frame PING
            settings INITIAL_WINDOW_SIZE=1048576 MAX_CONCURRENT_STREAMS=10
            wait frame SETTINGS
            headers --priority 0:200 GET /index.html
            wait stream 1 end
            headers --no-end-headers --no-end-stream POST /index.html
            continuation 3 --end-headers -H 'x-hand: made'
            data 3 --end hello
            wait stream 3 end
            window-update 0 4096
            priority 5 0 16
            headers --no-end-stream GET /1mb.bin
            rst 5 CANCEL
            get /index.html /1mb.bin
            goaway 0 NO_ERROR bye
            get /index.html
            quit
            """);

        var output = result.StdOut;
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{output}\n{result.StdErr}\n{nghttpd.Log}");
        Assert.Contains("; PING answered in", output);
        Assert.Contains("<p>nghttpd</p>", output);
        Assert.Contains("; stream 1 ended: 200", output);
        Assert.Contains("send CONTINUATION frame", output);
        Assert.Contains("; stream 3 ended:", output);
        Assert.Contains("(error_code=CANCEL(0x08))", output);
        Assert.Matches(@"/1mb\.bin\s+9\s+200\s+1048576", output);
        Assert.Contains("; reconnecting to", output);
        Assert.Contains("2 opened (1 reconnects", output);
    }

    [RequiresPeerFact("nghttpd")]
    public async Task IllegalRawFrame_IsAnsweredByGoAway_AndExplained()
    {
        var result = await ReplScript.RunAsync(nghttpd.BaseHttps + "/", nghttpd.CaPath, """
            raw WINDOW_UPDATE 0 0 00000000
            wait frame GOAWAY
            get /index.html
            quit
            """);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.StdOut}\n{result.StdErr}");
        Assert.Contains("send WINDOW_UPDATE frame <length=4, flags=0x00, stream_id=0>", result.StdOut);
        Assert.Contains("! the server sent GOAWAY PROTOCOL_ERROR", result.StdOut);
        Assert.Contains("; reconnecting to", result.StdOut);
        Assert.Contains("; stream 1: 200", result.StdOut);
    }
}

/// <summary>
/// <c>hxi repl --http2 http://...</c>: h2c by HTTP/1.1 Upgrade (RFC 7540 3.2). Caddy switches and answers the
/// Upgrade request on stream 1; Kestrel (hxi serve) ignores Upgrade: h2c, and the session goes on over HTTP/1.1.
/// </summary>
[Collection(CaddyCollection.Name)]
public sealed class CaddyReplUpgradeTests(CaddyFixture caddy)
{
    [RequiresPeerFact("caddy")]
    public async Task Http2OnCleartext_UpgradesToH2c_ShowsStreamOnesAnswer_ThenRequestsOnStream3()
    {
        var result = await ReplScript.RunAsync(caddy.BaseHttp + "/json", caddy.CaPath, """
            get /json
            quit
            """, "--http2");

        var output = result.StdOut;
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{output}\n{result.StdErr}\n{caddy.Log}");
        Assert.Contains("; asking to switch to h2c: GET /json over HTTP/1.1 with Upgrade: h2c", output);
        Assert.Contains("; 101 Switching Protocols: the connection speaks h2c now", output);
        // The Upgrade request's answer comes in HTTP/2 frames on stream 1 (Caddy reports the request itself as the
        // HTTP/1.1 it was sent in), printed whole and ended before the prompt comes back.
        Assert.Contains("recv DATA frame <length=", output);
        Assert.Contains("stream_id=1>", output);
        Assert.Contains("{\"proto\":\"HTTP/1.1\",\"method\":\"GET\"}\n", output);
        Assert.Contains($"h2c localhost:{caddy.HttpPort}> get /json", output);
        Assert.Contains("stream_id=3>", output);
        Assert.Contains("{\"proto\":\"HTTP/2.0\",\"method\":\"GET\"}", output);
    }
}

[Collection(EmbeddedServerCollection.Name)]
public sealed class EmbeddedReplUpgradeTests(EmbeddedServerFixture embedded)
{
    [Fact]
    public async Task Http2OnCleartext_ServerIgnoresUpgrade_SessionGoesOnOverHttp11()
    {
        var result = await ReplScript.RunAsync(new Uri(embedded.Server.HttpUri, "/json").ToString(), embedded.CaPath, """
            get /json
            quit
            """, "--http2", "--no-frames");

        var output = result.StdOut;
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{output}\n{result.StdErr}");
        Assert.Contains("; the server ignored Upgrade: h2c and answered 200 over HTTP/1.1, so this is an HTTP/1.1 session", output);
        Assert.Contains("HTTP/1.1 200", output);
    }
}
