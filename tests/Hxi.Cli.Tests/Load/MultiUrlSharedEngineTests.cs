using Hxi.Net.Tests;

namespace Hxi.Cli.Tests.Load;

/// <summary>
/// Issue #14 item 3: <c>hxi URL1 URL2 ...</c> runs on the exchange scheduler of <c>hxi load</c>. Seen from the server:
/// over HTTP/2, h2c and HTTP/3 every URL is in flight at once on one connection (the slow first one ends last, after the
/// server answered the others), over HTTP/1.1 they go one after another on one keep-alive connection; seen from the
/// user, the bodies come out in URL order whatever order the answers ended in.
/// </summary>
public sealed class MultiUrlSharedEngineTests(WatchedServerFixture fixture) : IClassFixture<WatchedServerFixture>
{
    // Long beside the few milliseconds that sending the other requests takes, even on a loaded machine.
    private const string SlowPath = "/delay/1000";

    [Theory]
    [InlineData("h2", "HTTP/2")]
    [InlineData("h2c", "HTTP/2")]
    [InlineData("h3", "HTTP/3")]
    public async Task SlowFirstUrl_PrintedFirst_TheServerAnsweredTheOthersMeanwhile_OnOneConnection(string protocol, string shown)
    {
        if (protocol == "h3")
        {
            Assert.True(fixture.Server.Http3Enabled, fixture.Server.Http3Problem);
        }

        var tag = Tag(protocol);
        var (origin, flags) = Protocol(protocol);
        var http3Before = fixture.Http3Connections;
        var result = await HxiInProcess.RunAsync(
            [.. flags, "--stat", Url(origin, SlowPath, tag), Url(origin, "/status/201", tag), Url(origin, "/status/202", tag)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertInOrder(result.StdOut, "waited 1000 ms", "status 201", "status 202");
        Assert.Contains($"stream summary: 3 requests over 1 connection ({shown})", result.StdErr);

        // The server ended both quick requests before the slow one: all three were open at once on the connection.
        var lines = fixture.LinesFor(tag);
        Assert.Equal(3, lines.Count);
        Assert.All(lines, line => Assert.StartsWith(shown + " GET ", line));
        Assert.Contains(SlowPath, lines[2]);
        if (protocol == "h3")
        {
            Assert.Equal(http3Before + 1, fixture.Http3Connections);
        }
    }

    [Fact]
    public async Task Http1_OneKeepAliveConnection_TheServerSeesTheUrlsOneAfterAnother()
    {
        var tag = Tag("h1");
        var origin = fixture.Server.HttpUri;
        var result = await HxiInProcess.RunAsync(
            "--stat", Url(origin, "/delay/300", tag), Url(origin, "/status/201", tag), Url(origin, "/status/202", tag));

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertInOrder(result.StdOut, "waited 300 ms", "status 201", "status 202");
        Assert.Contains("stream summary: 3 requests over 1 connection (HTTP/1.1)", result.StdErr);
        var lines = fixture.LinesFor(tag);
        Assert.Equal(3, lines.Count);
        Assert.Contains("/delay/300", lines[0]);
        Assert.Contains("/status/201", lines[1]);
        Assert.Contains("/status/202", lines[2]);
    }

    [Fact]
    public async Task Http1_ServerClosesAfterEachAnswer_TheSchedulerConnectsAgain_BodiesStillInOrder()
    {
        var tag = Tag("close");
        var origin = fixture.Server.HttpUri;
        var result = await HxiInProcess.RunAsync(
            "--stat", "-H", "Connection: close", Url(origin, "/status/201", tag), Url(origin, "/status/202", tag), Url(origin, "/status/203", tag));

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertInOrder(result.StdOut, "status 201", "status 202", "status 203");
        Assert.Contains("stream summary: 3 requests over 3 connections (HTTP/1.1)", result.StdErr);
        Assert.Equal(3, fixture.LinesFor(tag).Count);
    }

    [Fact]
    public async Task TwoOrigins_OneConnectionEach_BodiesInUrlOrder()
    {
        var tag = Tag("origins");
        var tls = fixture.Server.HttpsUri;
        var clear = fixture.Server.HttpUri;
        var result = await HxiInProcess.RunAsync(
            "--cacert", fixture.Server.CaCertificatePath, "--stat",
            Url(tls, "/delay/300", tag), Url(clear, "/status/201", tag), Url(tls, "/status/202", tag), Url(clear, "/status/203", tag));

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertInOrder(result.StdOut, "waited 300 ms", "status 201", "status 202", "status 203");
        Assert.Contains("stream summary: 4 requests over 2 connections", result.StdErr);
    }

    [Fact]
    public async Task Timeout_FailsWhatIsStillOut_AsATimeout_TheAnsweredUrlStillPrints()
    {
        var tag = Tag("timeout");
        var origin = fixture.Server.HttpsUri;
        var result = await HxiInProcess.RunAsync(
            "--cacert", fixture.Server.CaCertificatePath, "--timeout", "3", Url(origin, "/delay/10000", tag), Url(origin, "/status/201", tag));

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("status 201", result.StdOut);
        Assert.Contains("/delay/10000?" + tag + ": the request timed out or was interrupted", result.StdErr);
    }

    [Fact]
    public async Task Http1_Timeout_TheUrlNeverSentFailsAsATimeoutToo()
    {
        var tag = Tag("h1-timeout");
        var origin = fixture.Server.HttpUri;
        var result = await HxiInProcess.RunAsync("--timeout", "2", Url(origin, "/delay/10000", tag), Url(origin, "/status/201", tag));

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("/delay/10000?" + tag + ": the request timed out or was interrupted", result.StdErr);
        Assert.Contains("/status/201?" + tag + ": the request timed out or was interrupted", result.StdErr);
        Assert.DoesNotContain(fixture.LinesFor(tag), line => line.Contains("/status/201", StringComparison.Ordinal));
    }

    private (Uri Origin, string[] Flags) Protocol(string protocol) => protocol switch
    {
        "h2" => (fixture.Server.HttpsUri, ["--cacert", fixture.Server.CaCertificatePath]),
        "h2c" => (fixture.Server.H2cUri, ["--http2-prior-knowledge"]),
        "h3" => (fixture.Server.HttpsUri, ["--http3-only", "--cacert", fixture.Server.CaCertificatePath]),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };

    private static string Tag(string name) => $"{name}-{Guid.NewGuid():N}";

    private static string Url(Uri origin, string path, string tag) => new Uri(origin, $"{path}?{tag}").ToString();

    private static void AssertInOrder(string text, params string[] parts)
    {
        var at = -1;
        foreach (var part in parts)
        {
            var next = text.IndexOf(part, at + 1, StringComparison.Ordinal);
            Assert.True(next > at, $"'{part}' is missing or out of order in:\n{text}");
            at = next;
        }
    }
}
