using System.Security.Cryptography;

namespace Hxi.Interop.Tests;

/// <summary>Proves the Caddy fixture serves every route as documented, using curl as the client.</summary>
[Collection(CaddyCollection.Name)]
[Trait("Category", "PeerKit")]
public sealed class CaddyPeerKitTests(CaddyFixture caddy)
{
    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_ServesHttp2OverTls_ToCurl()
    {
        var result = await Curl.RunAsync("--http2", "-w", "\n%{http_version}", caddy.Https("/json"));

        Assert.Equal("{\"proto\":\"HTTP/2.0\",\"method\":\"GET\"}\n2", result.StdOut);
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_ServesHttp11OverTls_WhenAskedFor()
    {
        var result = await Curl.RunAsync("--http1.1", "-o", "/dev/null", "-w", "%{http_version}", caddy.Https("/json"));

        Assert.Equal("1.1", result.StdOut);
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_ServesH2cPriorKnowledge_OnClearPort_ToCurl()
    {
        var result = await Curl.RunAsync("--http2-prior-knowledge", "-w", "\n%{http_version}", caddy.Http("/json"));

        Assert.Equal("{\"proto\":\"HTTP/2.0\",\"method\":\"GET\"}\n2", result.StdOut);
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_UpgradesToH2c_ButReportsTheUpgradeRequestAsHttp11()
    {
        var result = await Curl.RunAsync("--http2", "-w", "\n%{http_version}", caddy.Http("/json"));

        // The request that carried the Upgrade is answered on stream 1, yet Caddy saw it arrive as HTTP/1.1.
        Assert.Equal("{\"proto\":\"HTTP/1.1\",\"method\":\"GET\"}\n2", result.StdOut);
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_AdvertisesHttp3_InAltSvc()
    {
        var result = await Curl.RunAsync("--http2", "-o", "/dev/null", "-D", "-", caddy.Https("/"));

        Assert.Contains($"alt-svc: h3=\":{caddy.HttpsPort}\"; ma=2592000", result.StdOut);
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_ServesRootText_AndAnswers404_Elsewhere()
    {
        var root = await Curl.RunAsync("--http2", caddy.Https("/"));
        var missing = await Curl.RunAsync("--http2", "-w", " %{http_code}", caddy.Https("/no/such/route"));

        Assert.Equal(CaddyConfig.RootText, root.StdOut);
        Assert.Equal($"{CaddyConfig.NotFoundText} 404", missing.StdOut);
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_EchoesRequestHeaders_ThroughTemplate()
    {
        var result = await Curl.RunAsync("--http2", "-H", "X-Hxi-Probe: 42", "-A", "hxi-kit", caddy.Https("/headers"));

        Assert.Equal("Accept: */*\nUser-Agent: hxi-kit\nX-Hxi-Probe: 42\n", result.StdOut);
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_EchoesPostedBody()
    {
        var result = await Curl.RunAsync("--http2", "--data-binary", "hello from the kit", caddy.Https("/echo"));

        Assert.Equal("hello from the kit", result.StdOut);
    }

    [RequiresPeerTheory("caddy", "curl")]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(404)]
    [InlineData(418)]
    [InlineData(503)]
    public async Task Caddy_AnswersWithTheStatusInThePath(int status)
    {
        var result = await Curl.RunAsync("--http2", "-w", " %{http_code}", caddy.Https($"/status/{status}"));

        Assert.Equal($"status {status} {status}", result.StdOut);
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_Status103_SendsEarlyHintsThenAnEmpty200()
    {
        var result = await Curl.RunAsync("--http2", "-o", "/dev/null", "-D", "-", "-w", "%{size_download}", caddy.Https("/status/103"));

        var responses = Curl.ParseHeaderBlocks(result.StdOut);
        Assert.Equal(["HTTP/2 103", "HTTP/2 200"], responses.Select(r => r[0].Trim()));
        // Caddy drops respond's body for a 1xx; Go then finishes the stream with an empty 200.
        Assert.Contains("content-length: 0", responses[1]);
        Assert.EndsWith("\n0", result.StdOut.TrimEnd());
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_RedirectsToJson_With302()
    {
        var result = await Curl.RunAsync("--http2", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", caddy.Https("/redirect"));

        Assert.Equal($"302 {caddy.Https("/json")}", result.StdOut);
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_Big_SendsFortyKilobyteHeaders()
    {
        var result = await Curl.RunAsync("--http2", "-o", "/dev/null", "-D", "-", caddy.Https("/big"));

        var headers = Curl.ParseHeaderBlocks(result.StdOut).Single();
        for (var number = 1; number <= CaddyConfig.BigHeaderCount; number++)
        {
            Assert.Contains($"{CaddyConfig.BigHeaderName(number).ToLowerInvariant()}: {CaddyConfig.BigHeaderValue(number)}", headers);
        }
    }

    [RequiresPeerFact("caddy")]
    public async Task Caddy_Big_SplitsTheHeaderBlockIntoHeadersAndContinuation()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var frames = await RawHttp2Probe.GetOverTlsAsync("localhost", caddy.HttpsPort, "/big", timeout.Token);

        var block = frames.Where(f => f.StreamId == 1 && f.Type is RawFrame.Headers or RawFrame.Continuation).ToList();
        Assert.True(block.Count >= 2, string.Join('\n', frames));
        Assert.Equal(RawFrame.Headers, block[0].Type);
        Assert.False(block[0].Has(RawFrame.EndHeaders));
        Assert.All(block.Skip(1), f => Assert.Equal(RawFrame.Continuation, f.Type));
        Assert.True(block[^1].Has(RawFrame.EndHeaders));
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_Gzip_CompressesForAClientThatAccepts()
    {
        var compressed = await Curl.RunAsync("--http2", "-H", "Accept-Encoding: gzip", "-o", "/dev/null", "-D", "-", "-w", "%{size_download}", caddy.Https("/gzip"));
        var decoded = await Curl.RunAsync("--http2", "--compressed", caddy.Https("/gzip"));

        Assert.Contains("content-encoding: gzip", compressed.StdOut);
        Assert.True(long.Parse(compressed.StdOut.Split('\n')[^1]) < CaddyConfig.GzipText.Length / 4, compressed.StdOut);
        Assert.Equal(CaddyConfig.GzipText, decoded.StdOut);
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_ServesFiles_WithRanges()
    {
        var small = await Curl.RunAsync("--http2", caddy.Https("/files/small.txt"));
        var range = await Curl.RunAsync("--http2", "-r", "0-99", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", caddy.Https("/files/10mb.bin"));

        Assert.Equal(PeerFiles.SmallTextContent, small.StdOut);
        Assert.Equal("206 100", range.StdOut);
    }

    [RequiresPeerFact("caddy", "curl")]
    public async Task Caddy_Serves100MbFile_WithExpectedSha256_ToCurl()
    {
        string? actual = null;

        var result = await ProcessRunner.RunStreamingAsync(
            PeerBinaries.Require("curl"),
            ["-sS", "--http2", "--cacert", caddy.CaPath, caddy.Https("/files/100mb.bin")],
            async body => actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(body)));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(caddy.File100MbSha256, actual);
    }
}
