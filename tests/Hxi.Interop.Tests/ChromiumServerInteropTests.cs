namespace Hxi.Interop.Tests;

/// <summary>
/// hxi serve's HTTP/3 against Chromium (headless, QUIC forced on the origin, the server key pinned by SPKI since
/// Chromium ignores --ignore-certificate-errors for QUIC), on localhost (which Chromium tries as ::1 first) and
/// 127.0.0.1. Chromium exits 0 even when a page fails, so the proof is the page itself (the route says which
/// protocol carried it) and the server's own log line for that request.
/// </summary>
[Collection(Http3PeerServerCollection.Name)]
[Trait("Category", "Interop")]
public sealed class ChromiumServerInteropTests(Http3PeerServerFixture server)
{
    [RequiresPeerTheory("chromium")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Json_IsFetchedOverHttp3(string host)
    {
        var profile = Directory.CreateTempSubdirectory("hxi-chromium-").FullName;
        var marker = $"/json?chromium={Guid.NewGuid():N}";
        try
        {
            var origin = $"{host}:{server.Port}";
            var result = await ProcessRunner.RunAsync(
                PeerBinaries.Require("chromium"),
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
                    "--enable-quic", $"--origin-to-force-quic-on={origin}",
                    $"--ignore-certificate-errors-spki-list={server.ServerSpki}",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                    "--dump-dom", $"https://{origin}{marker}",
                ],
                TimeSpan.FromMinutes(2));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("\"proto\":\"HTTP/3\"", result.StdOut.Replace(" ", "", StringComparison.Ordinal));
            Assert.Contains(server.Log.Lines, line => line.StartsWith($"HTTP/3 GET {marker} -> 200", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
