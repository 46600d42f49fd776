using System.Security.Cryptography;
using System.Text.Json;

namespace Hxi.Interop.Tests;

/// <summary>hxi, run as a user runs it, against Caddy: every protocol path and the main CLI features.</summary>
[Collection(CaddyCollection.Name)]
[Trait("Category", "Interop")]
public sealed class HxiCaddyTests(CaddyFixture caddy)
{
    private Task<ProcessResult> Hxi(params string[] arguments) => HxiRunner.RunAsync(["--cacert", caddy.CaPath, .. arguments]);

    private static void AssertExit(int expected, ProcessResult result) =>
        Assert.True(result.ExitCode == expected, $"expected exit {expected}\n{result}");

    [RequiresPeerFact("caddy")]
    public async Task Http2OverTls_ByAlpn()
    {
        var result = await Hxi("-i", caddy.Https("/json"));

        AssertExit(0, result);
        Assert.StartsWith("HTTP/2 200\n", result.StdOut);
        Assert.Contains("content-type: application/json", result.StdOut);
        Assert.EndsWith("{\"proto\":\"HTTP/2.0\",\"method\":\"GET\"}", result.StdOut);
        Assert.Equal("", result.StdErr);
    }

    [RequiresPeerFact("caddy")]
    public async Task Http11OverTls_WhenAskedFor()
    {
        var result = await Hxi("-i", "--http1.1", caddy.Https("/json"));

        AssertExit(0, result);
        Assert.StartsWith("HTTP/1.1 200", result.StdOut);
        Assert.EndsWith("{\"proto\":\"HTTP/1.1\",\"method\":\"GET\"}", result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task H2cPriorKnowledge_OnTheClearPort()
    {
        var result = await Hxi("-i", "--http2-prior-knowledge", caddy.Http("/json"));

        AssertExit(0, result);
        Assert.StartsWith("HTTP/2 200\n", result.StdOut);
        Assert.EndsWith("{\"proto\":\"HTTP/2.0\",\"method\":\"GET\"}", result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task H2cUpgrade_Switches_ThenSpeaksHttp2()
    {
        var result = await Hxi("-i", "-v", "--frames", "--http2", caddy.Http("/json"));

        AssertExit(0, result);
        // The request that carried the Upgrade is answered on stream 1; Caddy saw it arrive as HTTP/1.1.
        Assert.StartsWith("HTTP/2 200\n", result.StdOut);
        Assert.EndsWith("{\"proto\":\"HTTP/1.1\",\"method\":\"GET\"}", result.StdOut);
        Assert.Contains("> Upgrade: h2c\n", result.StdErr);
        Assert.Contains("> HTTP2-Settings: ", result.StdErr);
        Assert.Contains("* the server switched to h2c: 101 Switching Protocols", result.StdErr);
        // --frames shows the 101 as HTTP/1.1 text, and the h2 frames that came in the same read as frames.
        Assert.Matches(@"recv \d+ bytes\n +HTTP/1.1 101 Switching Protocols\\r\\n\n", result.StdErr);
        Assert.DoesNotContain("bytes of binary data", result.StdErr);
        Assert.Contains("send PREFACE", result.StdErr);
        Assert.Contains("recv SETTINGS frame", result.StdErr);
        Assert.Contains("stream_id=1>", result.StdErr);
        Assert.Matches(@"recv (HEADERS|DATA) frame <length=\d+, flags=0x0[15], stream_id=1>", result.StdErr);
    }

    [RequiresPeerFact("caddy")]
    public async Task BigHeaderBlock_ArrivesInHeadersAndContinuation_AndWhole()
    {
        var result = await Hxi("-i", "--frames", caddy.Https("/big"));

        AssertExit(0, result);
        Assert.Matches(@"recv HEADERS frame <length=\d+, flags=0x00, stream_id=1>", result.StdErr);
        Assert.Matches(@"recv CONTINUATION frame <length=\d+, flags=0x04, stream_id=1>", result.StdErr);
        for (var number = 1; number <= CaddyConfig.BigHeaderCount; number++)
        {
            Assert.Contains($"\n{CaddyConfig.BigHeaderName(number).ToLowerInvariant()}: {CaddyConfig.BigHeaderValue(number)}\n", result.StdOut);
        }

        Assert.EndsWith("\n\nbig", result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task FollowRedirects_ShowsTheRedirectThenTheTarget()
    {
        var result = await Hxi("-i", "-L", caddy.Https("/redirect"));

        AssertExit(0, result);
        Assert.StartsWith("HTTP/2 302\n", result.StdOut);
        Assert.Contains($"location: /json\n", result.StdOut);
        Assert.Contains("\nHTTP/2 200\n", result.StdOut);
        Assert.EndsWith("{\"proto\":\"HTTP/2.0\",\"method\":\"GET\"}", result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task NoFollow_ShowsTheRedirectOnly()
    {
        var result = await Hxi("-i", caddy.Https("/redirect"));

        AssertExit(0, result);
        Assert.StartsWith("HTTP/2 302\n", result.StdOut);
        Assert.DoesNotContain("HTTP/2 200", result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task MaxRedirectsZero_IsTooManyRedirects()
    {
        var result = await Hxi("-L", "--max-redirects", "0", caddy.Https("/redirect"));

        AssertExit(8, result);
        Assert.StartsWith("hxi: error: stopped after 0 redirects", result.StdErr);
    }

    [RequiresPeerTheory("caddy")]
    [InlineData("-d", "hello from hxi", "hello from hxi")]
    [InlineData("--json", "{\"a\": [1, 2]}", "{\"a\": [1, 2]}")]
    public async Task PostEcho_SendsTheBody(string option, string body, string expected)
    {
        var result = await Hxi(option, body, caddy.Https("/echo"));

        AssertExit(0, result);
        Assert.Equal(expected, result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task PostEcho_RequestItemsBecomeAJsonObject_OverHttp11()
    {
        var result = await Hxi("--http1.1", caddy.Https("/echo"), "name=hxi", "count:=2", "X-Ignored:yes");

        AssertExit(0, result);
        Assert.Equal("{\"name\":\"hxi\",\"count\":2}", result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task Headers_FromOptionsAndItems_ReachTheServer()
    {
        var result = await Hxi("-H", "X-From-Option: 1", caddy.Https("/headers"), "X-From-Item:2");

        AssertExit(0, result);
        Assert.Contains("X-From-Option: 1\n", result.StdOut);
        Assert.Contains("X-From-Item: 2\n", result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task Compressed_DecodesGzip()
    {
        var result = await Hxi("-i", "--compressed", caddy.Https("/gzip"));

        AssertExit(0, result);
        Assert.Contains("content-encoding: gzip\n", result.StdOut);
        Assert.EndsWith("\n\n" + CaddyConfig.GzipText, result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public Task Download100Mb_ToAFile_HasTheRightSha256() => CaddyDownloads.ToAFileAsync(caddy, [], TimeSpan.FromSeconds(60));

    [RequiresPeerFact("caddy")]
    public Task Download10Mb_PipedToStdout_HasTheRightSha256() => CaddyDownloads.PipedToStdoutAsync(caddy, []);

    [RequiresPeerFact("caddy")]
    public async Task Head_ShowsTheHeadOnly()
    {
        var result = await Hxi("-I", caddy.Https("/files/small.txt"));

        AssertExit(0, result);
        Assert.StartsWith("HTTP/2 200\n", result.StdOut);
        Assert.Contains($"content-length: {PeerFiles.SmallTextContent.Length}\n", result.StdOut);
        Assert.EndsWith("\n\n", result.StdOut);
        Assert.DoesNotContain(PeerFiles.SmallTextContent, result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task Fail_On404_Exits22_WithNoBody_AndOneLineNamingTheStatus()
    {
        var result = await Hxi("--fail", caddy.Https("/status/404"));

        AssertExit(22, result);
        Assert.Equal("", result.StdOut);
        Assert.Equal("hxi: error: the server answered HTTP/2 404 (--fail)\n", result.StdErr);
    }

    [RequiresPeerFact("caddy")]
    public async Task Verbose_WritesTheHeadToStderr_SoAPipeGetsTheBodyAlone()
    {
        var result = await Hxi("-v", caddy.Https("/json"));

        AssertExit(0, result);
        Assert.StartsWith("{", result.StdOut);
        Assert.DoesNotContain("HTTP/2 200", result.StdOut);
        Assert.Contains("< HTTP/2 200\n", result.StdErr);
        Assert.Contains("< content-type: application/json\n", result.StdErr);
    }

    [RequiresPeerFact("caddy")]
    public async Task Status103_IsShownAsAnInterimResponse()
    {
        var result = await Hxi("-i", caddy.Https("/status/103"));

        AssertExit(0, result);
        Assert.StartsWith("HTTP/2 103\n", result.StdOut);
        Assert.Contains("\nHTTP/2 200\n", result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task UntrustedCertificate_WithoutCacert_Exits4()
    {
        var result = await HxiRunner.RunAsync(caddy.Https("/json"));

        AssertExit(4, result);
        Assert.StartsWith("hxi: error: ", result.StdErr);
        Assert.Contains("not trusted", result.StdErr);
        Assert.Single(result.StdErr.TrimEnd().Split('\n'));
    }

    [RequiresPeerFact("caddy")]
    public async Task Insecure_SkipsVerification_WithAWarning()
    {
        var result = await HxiRunner.RunAsync("-k", caddy.Https("/json"));

        AssertExit(0, result);
        Assert.Contains("warning: --insecure", result.StdErr);
        Assert.Contains("\"proto\":\"HTTP/2.0\"", result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task Trace_WritesOneJsonObjectPerLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hxi-trace-{Guid.NewGuid():N}.jsonl");
        try
        {
            var result = await Hxi("--trace", path, caddy.Https("/json"));

            AssertExit(0, result);
            var lines = WireTrace.ReadLines(path);
            Assert.All(lines, l => Assert.True(l.GetProperty("t").GetDouble() >= 0));
            Assert.All(lines.Where(l => l.GetProperty("layer").GetString() != "connection"),
                l => Assert.Contains(l.GetProperty("dir").GetString(), new[] { "send", "recv" }));
            // The connection comes first (numbered 1), then the HTTP/2 preface on it.
            Assert.Equal("connected", lines[0].GetProperty("type").GetString());
            Assert.Equal("PREFACE", lines[1].GetProperty("type").GetString());
            Assert.All(lines, l => Assert.Equal(1, l.GetProperty("conn").GetInt32()));
            var frames = WireTrace.Frames(lines);
            Assert.Contains(frames, f => f is { Direction: "send", Type: "HEADERS", Stream: 1 });
            Assert.Contains(frames, f => f is { Direction: "recv", Type: "SETTINGS", Stream: 0, Flags: 0 });
            Assert.Contains(frames, f => f is { Direction: "send", Type: "SETTINGS", Flags: 1 });
            Assert.Contains(frames, f => f is { Direction: "recv", Type: "DATA", Stream: 1 });
            Assert.Contains(lines, l => l.GetProperty("type").GetString() == "header_block" && l.GetProperty("dir").GetString() == "send"
                && l.GetProperty("fields").EnumerateArray().Any(f => f.GetProperty("name").GetString() == ":path" && f.GetProperty("value").GetString() == "/json"));
            var data = lines.First(l => l.GetProperty("type").GetString() == "DATA" && l.GetProperty("dir").GetString() == "recv");
            Assert.Equal(data.GetProperty("length").GetInt32() + 9, data.GetProperty("bytes").GetInt32());
            Assert.Equal(data.GetProperty("bytes").GetInt32() * 2, data.GetProperty("hex").GetString()!.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [RequiresPeerFact("caddy", "nghttp")]
    public async Task CrossCheck_FramesReceived_AgreeWithNghttp()
    {
        await FrameCrossCheck.AssertAgreeAsync(caddy.Https("/json"), ["--cacert", caddy.CaPath]);
    }
}
