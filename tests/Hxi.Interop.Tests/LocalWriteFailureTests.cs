namespace Hxi.Interop.Tests;

/// <summary>
/// Issue #9: a body that cannot be written is the user's machine failing, not the server: curl's exit 23 with one
/// line, the same on every protocol. It used to be SIGABRT on HTTP/2 (an exception on the reading thread),
/// "the QUIC driver stopped" on HTTP/3, exit 2 on HTTP/1.1, and "connection lost" for a full disk.
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
[Trait("Category", "Interop")]
public sealed class LocalWriteFailureTests(EmbeddedServerFixture server)
{
    public static TheoryData<string> Protocols => new() { "--http1.1", "--http2", "--http2-prior-knowledge", "--http3-only" };

    private string Url(string protocol, string path) => protocol == "--http2-prior-knowledge" ? server.H2c(path) : server.Https(path);

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task OutputFileInAMissingDirectory_Exits23_WithOneLine(string protocol)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hxi-no-such-dir-{Guid.NewGuid():N}", "x");

        var result = await HxiRunner.RunAsync("--cacert", server.CaPath, protocol, "-o", path, Url(protocol, "/bytes/100000"));

        Assert.True(result.ExitCode == 23, result.ToString());
        Assert.Equal("", result.StdOut);
        Assert.Matches($"^hxi: error: cannot write to -o {System.Text.RegularExpressions.Regex.Escape(path)}: .+\n$", result.StdErr);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task StdoutOnAFullDisk_Exits23_WithOneLine(string protocol)
    {
        var command = string.Join(' ', new[] { HxiRunner.DotnetHostPath, HxiRunner.AssemblyPath, "--cacert", server.CaPath, protocol, Url(protocol, "/bytes/100000") }.Select(Quote));

        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", command + " > /dev/full"], environment: new Dictionary<string, string> { ["NO_COLOR"] = "1" });

        Assert.True(result.ExitCode == 23, result.ToString());
        Assert.Equal("hxi: error: cannot write to standard output: No space left on device\n", result.StdErr);
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
