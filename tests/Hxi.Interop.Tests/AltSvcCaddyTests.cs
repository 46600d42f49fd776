namespace Hxi.Interop.Tests;

/// <summary>--alt-svc against Caddy, which advertises h3=":PORT" on its HTTP/2 responses.</summary>
[Collection(CaddyCollection.Name)]
[Trait("Category", "Interop")]
public sealed class AltSvcCaddyTests(CaddyFixture caddy)
{
    [RequiresPeerFact("caddy")]
    public async Task AltSvcFromAnHttp2Response_MakesTheNextRunUseHttp3()
    {
        var cacheHome = Directory.CreateTempSubdirectory("hxi-altsvc-").FullName;
        try
        {
            // First run: no cache yet, so HTTP/2 by ALPN; the bare flag writes to $XDG_CACHE_HOME/hxi/alt-svc.
            var first = await HxiRunner.RunAsync(
                ["--cacert", caddy.CaPath, "--alt-svc", "-i", "-v", caddy.Https("/json")],
                TimeSpan.FromSeconds(30),
                new Dictionary<string, string> { ["XDG_CACHE_HOME"] = cacheHome });

            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.StartsWith("HTTP/2 200\n", first.StdOut);
            Assert.Contains($"alt-svc: h3=\":{caddy.HttpsPort}\"", first.StdOut);
            var cacheFile = Path.Combine(cacheHome, "hxi", "alt-svc");
            Assert.Matches($"(?m)^h2 localhost {caddy.HttpsPort} h3 localhost {caddy.HttpsPort} \"\\d{{8}} \\d\\d:\\d\\d:\\d\\d\" 0 0$", File.ReadAllText(cacheFile));

            // Second run, naming the same file: the cached alternative makes hxi try HTTP/3 first, and it works.
            var second = await HxiRunner.RunAsync("--cacert", caddy.CaPath, "--alt-svc", cacheFile, "-i", "-v", caddy.Https("/json"));

            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.StartsWith("HTTP/3 200\n", second.StdOut);
            Assert.EndsWith("{\"proto\":\"HTTP/3.0\",\"method\":\"GET\"}", second.StdOut);
            Assert.Contains($"* alt-svc: localhost:{caddy.HttpsPort} offers h3 on port {caddy.HttpsPort} (remembered in {cacheFile} until ", second.StdErr);
            Assert.Contains("* using HTTP/3\n", second.StdErr);
        }
        finally
        {
            Directory.Delete(cacheHome, recursive: true);
        }
    }
}
