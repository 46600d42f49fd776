using System.Text.Json;
using Hxi.Net.Tests;

namespace Hxi.Cli.Tests.Load;

/// <summary>
/// <c>hxi load</c> runs that go through the exchange scheduler (HTTP/1.1, the h2c Upgrade, --timeout, --rps) rather than
/// the HTTP/2 and HTTP/3 fast paths: their figures must come out as the fast paths' do.
/// </summary>
public sealed class LoadOnSchedulerTests(WatchedServerFixture fixture) : IClassFixture<WatchedServerFixture>
{
    [Fact]
    public async Task TimeoutRunOverHttp2_OneConnectionPerClient_EveryRequestCounted()
    {
        var tag = $"load-{Guid.NewGuid():N}";
        var report = await LoadAsync(
            "-n", "40", "-c", "2", "-m", "8", "--timeout", "30", "--cacert", fixture.Server.CaCertificatePath, $"{new Uri(fixture.Server.HttpsUri, "/status/201")}?{tag}");

        Assert.Equal("HTTP/2", report.GetProperty("protocol").GetString());
        Assert.Equal(2, report.GetProperty("connections_opened").GetInt64());
        Assert.Equal(40, report.GetProperty("requests").GetProperty("succeeded").GetInt64());
        Assert.Equal(40, report.GetProperty("status_codes").GetProperty("201").GetInt64());
        Assert.Equal(40, fixture.LinesFor(tag).Count);
    }

    [Fact]
    public async Task H2cUpgradeRefused_TheAnswerToTheUpgradeCountsItsHeadersLikeTheRest()
    {
        // hxi serve's Kestrel answers the Upgrade request over HTTP/1.1: that answer comes back from connecting, and
        // its header bytes must count as every later response's do.
        var url = new Uri(fixture.Server.HttpUri, "/status/201").ToString();
        var one = await LoadAsync("--http2", "-n", "1", "-c", "1", url);
        var four = await LoadAsync("--http2", "-n", "4", "-c", "1", url);

        var bytesOfOne = one.GetProperty("traffic").GetProperty("header_bytes").GetInt64();
        Assert.True(bytesOfOne > 0, one.ToString());
        Assert.Equal(4 * bytesOfOne, four.GetProperty("traffic").GetProperty("header_bytes").GetInt64());
        Assert.Equal(1, four.GetProperty("connections_opened").GetInt64());
    }

    private static async Task<JsonElement> LoadAsync(params string[] args)
    {
        var file = Path.Combine(Path.GetTempPath(), $"hxi-load-{Guid.NewGuid():N}.json");
        try
        {
            var result = await HxiInProcess.RunAsync(["load", "-s", "-o", file, .. args]);
            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            return json.RootElement.Clone();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
