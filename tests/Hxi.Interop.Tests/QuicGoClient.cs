namespace Hxi.Interop.Tests;

/// <summary>
/// quic-go's HTTP/3 client (Peers/quic-go-client.go), built once per test run from Debian's quic-go source
/// (golang-github-lucas-clemente-quic-go-dev) in GOPATH mode, offline.
/// </summary>
public static class QuicGoClient
{
    /// <summary>Where Debian's golang-*-dev packages put Go sources.</summary>
    private const string DebianGoPath = "/usr/share/gocode";

    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    public static async Task<ProcessResult> RunAsync(params string[] arguments) =>
        await ProcessRunner.RunAsync(await Built.Value, arguments, TimeSpan.FromMinutes(2));

    private static async Task<string> BuildAsync()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Peers", "quic-go-client.go");
        var directory = Path.Combine(Path.GetTempPath(), "hxi-quic-go-client");
        Directory.CreateDirectory(directory);
        var program = Path.Combine(directory, "quic-go-client");
        var result = await ProcessRunner.RunAsync(
            PeerBinaries.Require("go"),
            ["build", "-o", program, source],
            TimeSpan.FromMinutes(10),
            new Dictionary<string, string>
            {
                ["GO111MODULE"] = "off",
                ["GOPATH"] = DebianGoPath,
                ["GOCACHE"] = Path.Combine(directory, "cache"),
                ["GOFLAGS"] = "",
            });
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"building the quic-go client failed (needs golang-go and golang-github-lucas-clemente-quic-go-dev): {result}");
        }

        return program;
    }
}
