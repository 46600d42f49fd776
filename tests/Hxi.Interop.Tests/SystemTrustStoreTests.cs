namespace Hxi.Interop.Tests;

/// <summary>
/// With --cacert or -k, hxi must not read the system CA bundle: .NET would parse all of it (about 50 ms) for
/// roots that cannot take part in the decision. strace shows which files the child process opened.
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
[Trait("Category", "Interop")]
public sealed class SystemTrustStoreTests(EmbeddedServerFixture server) : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("hxi-system-store-").FullName;

    public void Dispose() => Directory.Delete(_store, recursive: true);

    [RequiresPeerFact("strace")]
    public async Task DefaultTrust_ReadsTheSystemBundle()
    {
        // The control: without --cacert the bundle is read, and the embedded CA in it is trusted.
        var (result, opened) = await RunTracedAsync(server.Https("/json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Bundle, opened);
    }

    [RequiresPeerTheory("strace")]
    [InlineData("--cacert")]
    [InlineData("-k")]
    [InlineData("--http3-only")]
    public async Task CustomTrust_OrNone_LeavesTheSystemBundleAlone(string mode)
    {
        string[] arguments = mode switch
        {
            "-k" => ["-k", server.Https("/json")],
            "--http3-only" => ["--http3-only", "--cacert", server.CaPath, server.Https("/json")],
            _ => ["--cacert", server.CaPath, server.Https("/json")],
        };

        var (result, opened) = await RunTracedAsync(arguments);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(Bundle, opened);
        Assert.DoesNotContain(opened, path => path.StartsWith(_store, StringComparison.Ordinal));
    }

    private string Bundle => Path.Combine(_store, "bundle.pem");

    /// <summary>Runs hxi under strace with the system store pointed at a test folder; returns the files it opened.</summary>
    private async Task<(ProcessResult Result, IReadOnlyList<string> Opened)> RunTracedAsync(params string[] arguments)
    {
        // A real certificate in the bundle, so that .NET has something to parse when it does read it.
        File.Copy(server.CaPath, Bundle, overwrite: true);
        var trace = Path.Combine(_store, "..", Path.GetFileName(_store) + ".strace");
        try
        {
            var result = await ProcessRunner.RunAsync(
                PeerBinaries.Require("strace"),
                ["-f", "-qq", "-e", "trace=openat,open", "-o", trace, HxiRunner.DotnetHostPath, HxiRunner.AssemblyPath, .. arguments],
                environment: new Dictionary<string, string>
                {
                    ["SSL_CERT_FILE"] = Bundle,
                    ["SSL_CERT_DIR"] = _store,
                    ["NO_COLOR"] = "1",
                });
            var opened = File.ReadLines(trace)
                .Select(line => line.Split('"'))
                .Where(parts => parts.Length >= 3 && !parts[^1].Contains("ENOENT", StringComparison.Ordinal))
                .Select(parts => parts[1])
                .ToList();
            return (result, opened);
        }
        finally
        {
            File.Delete(trace);
        }
    }
}
