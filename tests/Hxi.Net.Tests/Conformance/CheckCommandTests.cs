using System.Text.Json;

namespace Hxi.Net.Tests.Conformance;

/// <summary><c>hxi check</c> end to end, in-process: exit status, the per-case lines, the summary and the JSON file.</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public async Task AConformingServer_PassesTheSettingsSection_AndExitsZero()
    {
        await using var server = new ScriptedH2Server(ConformingH2Peer.RunAsync);
        var json = Path.Combine(Path.GetTempPath(), $"hxi-check-{Guid.NewGuid():N}.json");
        try
        {
            var run = await HxiInProcess.RunAsync("check", server.Url.ToString(), "9113/6.5", "--json", json);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("pass  9113-6.5-1", run.StdOut);
            Assert.Contains("RFC 9113 6.5", run.StdOut);
            using var report = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal(0, report.RootElement.GetProperty("failed").GetInt32());
            Assert.All(report.RootElement.GetProperty("cases").EnumerateArray(), c => Assert.StartsWith("9113/6.5", c.GetProperty("section").GetString()));
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task ALaxServer_FailsWithTheRequirementAndTheFrames_AndExitsSix()
    {
        await using var server = new ScriptedH2Server(LaxH2Peer.RunAsync);

        var run = await HxiInProcess.RunAsync("check", server.Url.ToString(), "9113-6.5-1", "--timeout", "1");

        Assert.True(run.ExitCode == 6, run.ToString());
        Assert.Contains("FAIL  9113-6.5-1", run.StdOut);
        Assert.Contains("requires: connection error FRAME_SIZE_ERROR", run.StdOut);
        Assert.Contains("recv PING frame", run.StdOut);
        Assert.Contains("1 cases: 0 passed, 1 failed, 0 skipped", run.StdOut);
    }

    [Fact]
    public async Task AnUnknownSection_IsAUsageError()
    {
        var run = await HxiInProcess.RunAsync("check", "http://127.0.0.1:9/", "9113/6.x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'9113/6.x' is neither an RFC section", run.StdErr);
    }
}
