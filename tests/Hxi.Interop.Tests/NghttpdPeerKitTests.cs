namespace Hxi.Interop.Tests;

/// <summary>Proves the nghttpd fixture serves HTTP/2 over TLS and h2c prior knowledge, using curl and nghttp.</summary>
[Collection(NghttpdCollection.Name)]
[Trait("Category", "PeerKit")]
public sealed class NghttpdPeerKitTests(NghttpdFixture nghttpd)
{
    [RequiresPeerFact("nghttpd", "curl")]
    public async Task Nghttpd_ServesHttp2OverTls_ToCurl()
    {
        var result = await Curl.RunAsync("--http2", "-w", "%{http_version}", nghttpd.Https("/"));

        Assert.Equal(NghttpdFixture.IndexHtml + "2", result.StdOut);
    }

    [RequiresPeerFact("nghttpd", "curl")]
    public async Task Nghttpd_ServesH2cPriorKnowledge_ToCurl()
    {
        var result = await Curl.RunAsync("--http2-prior-knowledge", "-w", "%{http_version}", nghttpd.Http("/"));

        Assert.Equal(NghttpdFixture.IndexHtml + "2", result.StdOut);
    }

    [RequiresPeerFact("nghttpd", "curl")]
    public async Task Nghttpd_Serves1MbFile()
    {
        var result = await Curl.RunAsync("--http2", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", nghttpd.Https("/1mb.bin"));

        Assert.Equal($"200 {NghttpdFixture.File1MbLength}", result.StdOut);
    }

    [RequiresPeerFact("nghttpd", "nghttp")]
    public async Task Nghttpd_SendsSettingsFrame_ToNghttp()
    {
        var result = await ProcessRunner.RunAsync(PeerBinaries.Require("nghttp"), ["-nv", nghttpd.Https("/")]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("recv SETTINGS frame", result.StdOut);
        Assert.Contains("The negotiated protocol: h2", result.StdOut);
    }
}
