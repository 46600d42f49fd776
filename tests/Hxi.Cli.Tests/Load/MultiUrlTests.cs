using Hxi.Cli.Tests.Repl;
using Hxi.Net.Tests;

namespace Hxi.Cli.Tests.Load;

/// <summary>
/// Issue #11 item 5: <c>hxi URL1 URL2 ...</c> sends every request at once over one connection (as nghttp does),
/// prints the responses in URL order (as curl does), and <c>--stat</c> shows one line per stream on stderr.
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
public sealed class MultiUrlTests(EmbeddedServerFixture fixture)
{
    private string Url(Uri origin, string path) => new Uri(origin, path).ToString();

    [Fact]
    public async Task Http2_OneConnection_ConcurrentStreams_BodiesInUrlOrder()
    {
        var origin = fixture.Server.HttpsUri;
        // The slow one comes first: its body must still be printed first, though it ends last.
        var result = await HxiInProcess.RunAsync(
            "--cacert", fixture.Server.CaCertificatePath, "--stat", Url(origin, "/delay/300"), Url(origin, "/status/201"), Url(origin, "/status/202"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var delayed = result.StdOut.IndexOf("waited 300 ms", StringComparison.Ordinal);
        var first = result.StdOut.IndexOf("status 201", StringComparison.Ordinal);
        var second = result.StdOut.IndexOf("status 202", StringComparison.Ordinal);
        Assert.True(delayed >= 0 && delayed < first && first < second, result.ToString());
        Assert.Contains("stream summary: 3 requests over 1 connection (HTTP/2)", result.StdErr);
        var lines = result.StdErr.Split('\n');
        Assert.Contains(lines, line => line.TrimStart().StartsWith("1 ", StringComparison.Ordinal) && line.Contains("/delay/300"));
        Assert.Contains(lines, line => line.TrimStart().StartsWith("3 ", StringComparison.Ordinal) && line.Contains(" 201 "));
        Assert.Contains(lines, line => line.TrimStart().StartsWith("5 ", StringComparison.Ordinal) && line.Contains(" 202 "));
    }

    [Fact]
    public async Task Http3_OneConnection()
    {
        Assert.True(fixture.Server.Http3Enabled, fixture.Server.Http3Problem);
        var origin = fixture.Server.HttpsUri;
        var result = await HxiInProcess.RunAsync(
            "--http3-only", "--cacert", fixture.Server.CaCertificatePath, "--stat", Url(origin, "/status/201"), Url(origin, "/status/202"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.StdOut.IndexOf("status 201", StringComparison.Ordinal) < result.StdOut.IndexOf("status 202", StringComparison.Ordinal), result.ToString());
        Assert.Contains("stream summary: 2 requests over 1 connection (HTTP/3)", result.StdErr);
    }

    [Fact]
    public async Task Http1_OneKeepAliveConnection_OneAfterAnother()
    {
        var origin = fixture.Server.HttpUri;
        var result = await HxiInProcess.RunAsync("--stat", Url(origin, "/status/201"), Url(origin, "/status/202"), Url(origin, "/status/203"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.StdOut.IndexOf("status 202", StringComparison.Ordinal) < result.StdOut.IndexOf("status 203", StringComparison.Ordinal), result.ToString());
        Assert.Contains("stream summary: 3 requests over 1 connection (HTTP/1.1)", result.StdErr);
    }

    [Fact]
    public async Task OneFailedUrl_IsReported_TheOthersStillPrint_ExitIsItsCode()
    {
        var origin = fixture.Server.HttpsUri;
        var result = await HxiInProcess.RunAsync(
            "--cacert", fixture.Server.CaCertificatePath, Url(origin, "/reset"), Url(origin, "/status/201"));

        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.Contains("status 201", result.StdOut);
        Assert.Contains("/reset: the server reset stream 1 with INTERNAL_ERROR", result.StdErr);
    }

    [Fact]
    public async Task OptionsForOneResponse_AreRefused_WithSeveralUrls()
    {
        var origin = fixture.Server.HttpsUri;
        var result = await HxiInProcess.RunAsync("-o", "x.bin", Url(origin, "/json"), Url(origin, "/"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("-o does not go with several URLs", result.StdErr);
    }
}
