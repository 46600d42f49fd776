using System.Text.Json;

namespace Hxi.Net.Tests.Conformance;

/// <summary><c>hxi check --http3</c> end to end, in-process: the HTTP/3 catalog, h3 over QUIC, the frames in a failure.</summary>
public sealed class CheckCommandHttp3Tests
{
    [Fact]
    public async Task AConformingServer_PassesTheReservedSettingsSection_AndExitsZero()
    {
        await using var server = new ScriptedH3Server(() => new ConformingH3Session());
        var json = Path.Combine(Path.GetTempPath(), $"hxi-check-h3-{Guid.NewGuid():N}.json");
        try
        {
            var run = await HxiInProcess.RunAsync("check", "--http3", "--cacert", server.CaPath, server.Url.ToString(), "9114/7.2.4.1", "--json", json);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("pass  9114-7.2.4.1-2", run.StdOut);
            Assert.Contains("(h3 over QUIC)", run.StdErr);
            using var report = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal(0, report.RootElement.GetProperty("failed").GetInt32());
            Assert.All(report.RootElement.GetProperty("cases").EnumerateArray(), c => Assert.StartsWith("9114/7.2.4.1", c.GetProperty("section").GetString()));
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task ALaxServer_FailsWithTheRequirementAndTheFrames_AndExitsSix()
    {
        await using var server = new ScriptedH3Server(SloppyH3Session.Lax);

        var run = await HxiInProcess.RunAsync("check", "--http3-only", "--cacert", server.CaPath, server.Url.ToString(), "9114-7.2.1-1", "--timeout", "3");

        Assert.True(run.ExitCode == 6, run.ToString());
        foreach (var expected in new[]
        {
            "FAIL  9114-7.2.1-1", "requires: connection error H3_FRAME_UNEXPECTED", "the server carried on",
            "send DATA frame <length=4, stream_id=2>", "recv HEADERS frame", "1 cases: 0 passed, 1 failed, 0 skipped",
        })
        {
            Assert.True(run.StdOut.Contains(expected, StringComparison.Ordinal), $"'{expected}' missing from:\n{run}");
        }
    }

    [Fact]
    public async Task Http2AndHttp3Together_AreAUsageError()
    {
        var run = await HxiInProcess.RunAsync("check", "--http2", "--http3", "https://127.0.0.1:9/");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("exclude each other", run.StdErr);
    }
}
