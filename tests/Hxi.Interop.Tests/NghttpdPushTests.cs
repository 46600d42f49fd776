namespace Hxi.Interop.Tests;

/// <summary>Server push (--push) against nghttpd, which pushes /style.css with / when started with -p.</summary>
public sealed class NghttpdPushTests : IDisposable
{
    private readonly string _docroot = Directory.CreateTempSubdirectory("hxi-push-").FullName;
    private readonly PeerProcess? _server;
    private readonly int _port = FreePort.Next();

    public NghttpdPushTests()
    {
        if (PeerBinaries.Find("nghttpd") is null && !PeerBinaries.IsCi)
        {
            return;
        }

        File.WriteAllText(Path.Combine(_docroot, "index.html"), "index\n");
        File.WriteAllText(Path.Combine(_docroot, "style.css"), "body{}\n");
        _server = PeerProcess.Start(
            "nghttpd (push)",
            PeerBinaries.Require("nghttpd"),
            ["--address=127.0.0.1", "-d", _docroot, "-p/=/style.css", _port.ToString(), TestCertificates.ServerKeyPath, TestCertificates.ServerCertificatePath],
            [_port]);
    }

    [RequiresPeerFact("nghttpd")]
    public async Task Push_IsDecodedAndShown_WhenEnabled()
    {
        var result = await HxiRunner.RunAsync("--push", "--frames", "--cacert", TestCertificates.CaPath, $"https://127.0.0.1:{_port}/");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[SETTINGS_ENABLE_PUSH(0x02):1]", result.StdErr);
        Assert.Contains("recv PUSH_PROMISE frame", result.StdErr);
        Assert.Contains("(promised_stream_id=2)", result.StdErr);
        Assert.Contains(":path: /style.css", result.StdErr);
        Assert.Contains("pushed (stream 2) /style.css: HTTP/2 200", result.StdErr);
        Assert.Equal("index\n", result.StdOut);
    }

    [RequiresPeerFact("nghttpd")]
    public async Task Push_IsRefusedBySettings_ByDefault()
    {
        var result = await HxiRunner.RunAsync("--frames", "--cacert", TestCertificates.CaPath, $"https://127.0.0.1:{_port}/");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[SETTINGS_ENABLE_PUSH(0x02):0]", result.StdErr);
        Assert.DoesNotContain("PUSH_PROMISE", result.StdErr);
    }

    public void Dispose()
    {
        _server?.Dispose();
        Directory.Delete(_docroot, recursive: true);
    }
}
