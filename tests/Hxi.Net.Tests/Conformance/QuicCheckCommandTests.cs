namespace Hxi.Net.Tests.Conformance;

/// <summary><c>hxi check --http3</c> with QUIC sections, in-process, against the scripted QUIC servers.</summary>
public sealed class QuicCheckCommandTests
{
    [Fact]
    public async Task ASection_PassesAgainstTheConformingServer_AndExitsZero()
    {
        await using var server = ScriptedQuicServer.Conforming();

        // A generous --timeout: it only bounds the waiting, and this process's first QUIC handshake pays for JIT.
        var run = await HxiInProcess.RunAsync("check", "--http3", server.Url.ToString(), "9000/19.20", "--cacert", server.CaPath, "--timeout", "8");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("pass  9000-19.20-1", run.StdOut);
        Assert.Contains("QUIC cases against", run.StdErr);
    }

    [Fact]
    public async Task ALaxServer_FailsWithTheRequirementAndThePackets_AndExitsSix()
    {
        await using var server = ScriptedQuicServer.Lax();

        var run = await HxiInProcess.RunAsync("check", "--http3", server.Url.ToString(), "9000-19.7-1", "--cacert", server.CaPath, "--timeout", "1.5");

        Assert.True(run.ExitCode == 6, run.ToString());
        Assert.Contains("FAIL  9000-19.7-1", run.StdOut);
        Assert.Contains("requires: connection error PROTOCOL_VIOLATION", run.StdOut);
        Assert.Contains("kept the connection open", run.StdOut);
        Assert.Contains("NEW_TOKEN", run.StdOut);
    }

    [Fact]
    public async Task DryRun_ListsTheQuicCases()
    {
        var run = await HxiInProcess.RunAsync("check", "--http3", "https://localhost:1/", "--dry-run", "9001");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("9001-6.4-1", run.StdOut);
        Assert.DoesNotContain("9113-", run.StdOut);
    }
}
