namespace Hxi.Interop.Tests;

/// <summary>hxi against nghttpd, the reference HTTP/2 server: over TLS and h2c by prior knowledge.</summary>
[Collection(NghttpdCollection.Name)]
[Trait("Category", "Interop")]
public sealed class HxiNghttpdTests(NghttpdFixture nghttpd)
{
    [RequiresPeerFact("nghttpd")]
    public async Task Http2OverTls()
    {
        var result = await HxiRunner.RunAsync("-i", "--cacert", nghttpd.CaPath, nghttpd.Https("/"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("HTTP/2 200\n", result.StdOut);
        Assert.Contains("server: nghttpd", result.StdOut);
        Assert.EndsWith("\n\n" + NghttpdFixture.IndexHtml, result.StdOut);
    }

    [RequiresPeerFact("nghttpd")]
    public async Task H2cPriorKnowledge()
    {
        var result = await HxiRunner.RunAsync("-i", "--http2-prior-knowledge", nghttpd.Http("/"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("HTTP/2 200\n", result.StdOut);
        Assert.EndsWith("\n\n" + NghttpdFixture.IndexHtml, result.StdOut);
    }

    [RequiresPeerFact("nghttpd")]
    public async Task OneMegabyte_ArrivesWhole_OverManyDataFrames()
    {
        var result = await HxiRunner.RunAsync("--frames", "-o", "/dev/null", "--http2-prior-knowledge", nghttpd.Http("/1mb.bin"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var data = System.Text.RegularExpressions.Regex.Matches(result.StdErr, @"recv DATA frame <length=(\d+), flags=0x0([01]), stream_id=1>");
        Assert.Equal(NghttpdFixture.File1MbLength, data.Sum(m => int.Parse(m.Groups[1].Value)));
        Assert.True(data.Count >= NghttpdFixture.File1MbLength / 16_384, $"{data.Count} DATA frames");
        Assert.Equal("1", data[^1].Groups[2].Value);
    }

    [RequiresPeerFact("nghttpd", "nghttp")]
    public async Task CrossCheck_FramesReceived_AgreeWithNghttp_OverTls()
    {
        await FrameCrossCheck.AssertAgreeAsync(nghttpd.Https("/"), ["--cacert", nghttpd.CaPath]);
    }

    [RequiresPeerFact("nghttpd", "nghttp")]
    public async Task CrossCheck_FramesReceived_AgreeWithNghttp_OverH2c()
    {
        await FrameCrossCheck.AssertAgreeAsync(nghttpd.Http("/"), ["--http2-prior-knowledge"]);
    }
}
