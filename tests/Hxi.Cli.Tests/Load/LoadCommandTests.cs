using System.Text.Json;
using Hxi.Cli.Commands;
using Hxi.Cli.Tests.Repl;
using Hxi.Net.Client;
using Hxi.Net.Tests;

namespace Hxi.Cli.Tests.Load;

/// <summary>
/// Issue #14: <c>hxi load</c> against the embedded server, in-process, over every protocol. The counts must add up
/// (started = done = succeeded = -n), errors carry their RFC names, and -o writes every figure as JSON.
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
public sealed class LoadCommandTests(EmbeddedServerFixture fixture)
{
    private string Ca => fixture.Server.CaCertificatePath;

    private Uri Https(string path) => new(fixture.Server.HttpsUri, path);

    [Theory]
    [InlineData("auto", "HTTP/2")]
    [InlineData("--http1.1", "HTTP/1.1")]
    [InlineData("--http2", "HTTP/2")]
    public async Task CountsAddUp_OverTls(string flag, string protocol)
    {
        string[] mode = flag == "auto" ? [] : [flag];
        var (result, report) = await LoadAsync([.. mode, "-n", "101", "-c", "3", "-m", "7", "--cacert", Ca, Https("/json").ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(protocol, report.GetProperty("protocol").GetString());
        AssertAllSucceeded(report, 101, 200);
        Assert.Equal(3, report.GetProperty("connections_opened").GetInt64());
    }

    [Fact]
    public async Task CountsAddUp_OverH2cPriorKnowledge()
    {
        var (result, report) = await LoadAsync(["--http2-prior-knowledge", "-n", "50", "-c", "2", "-m", "10", new Uri(fixture.Server.H2cUri, "/json").ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("HTTP/2", report.GetProperty("protocol").GetString());
        AssertAllSucceeded(report, 50, 200);
        Assert.True(report.GetProperty("traffic").GetProperty("header_compression_saving").GetDouble() > 0, result.ToString());
    }

    [Fact]
    public async Task CountsAddUp_OverCleartextHttp1()
    {
        var (result, report) = await LoadAsync(["-n", "20", "-c", "2", new Uri(fixture.Server.HttpUri, "/json").ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("HTTP/1.1", report.GetProperty("protocol").GetString());
        AssertAllSucceeded(report, 20, 200);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("traffic").GetProperty("header_compression_saving").ValueKind);
    }

    [Fact]
    public async Task CountsAddUp_OverHttp3()
    {
        Assert.True(fixture.Server.Http3Enabled, fixture.Server.Http3Problem);
        var (result, report) = await LoadAsync(["--http3", "-n", "60", "-c", "2", "-m", "5", "--cacert", Ca, Https("/json").ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("HTTP/3", report.GetProperty("protocol").GetString());
        AssertAllSucceeded(report, 60, 200);
        Assert.True(report.GetProperty("traffic").GetProperty("header_compression_saving").GetDouble() > 0, result.ToString());
    }

    [Fact]
    public async Task SeveralUrls_AreTakenInTurn_AndA500IsAStatusNotAnError()
    {
        var (result, report) = await LoadAsync(["-n", "10", "-c", "1", "-m", "2", "--cacert", Ca, Https("/json").ToString(), Https("/status/500").ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var requests = report.GetProperty("requests");
        Assert.Equal(10, requests.GetProperty("done").GetInt64());
        Assert.Equal(5, requests.GetProperty("succeeded").GetInt64());
        Assert.Equal(5, requests.GetProperty("failed").GetInt64());
        Assert.Equal(0, requests.GetProperty("errored").GetInt64());
        Assert.Equal(5, report.GetProperty("status_codes").GetProperty("200").GetInt64());
        Assert.Equal(5, report.GetProperty("status_codes").GetProperty("500").GetInt64());
        Assert.Contains("status codes: 5 2xx, 0 3xx, 0 4xx, 5 5xx", result.StdOut);
    }

    [Theory]
    [InlineData("hot path")]
    [InlineData("general path")]
    public async Task ResetStreams_AreErrorsNamedByTheirCode(string path)
    {
        // --timeout needs a clock per request, so it takes the general path (IHttpConnection) instead of the HTTP/2 hot path.
        string[] extra = path == "general path" ? ["--timeout", "20"] : [];
        var (result, report) = await LoadAsync([.. extra, "-n", "8", "-c", "2", "-m", "2", "--cacert", Ca, Https("/reset").ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(8, report.GetProperty("requests").GetProperty("errored").GetInt64());
        Assert.Equal(8, report.GetProperty("errors").GetProperty("RST_STREAM INTERNAL_ERROR").GetInt64());
        Assert.Contains("errors: RST_STREAM INTERNAL_ERROR 8", result.StdOut);
    }

    [Fact]
    public async Task Http3Resets_AreNamedWithTheirH3Code()
    {
        var (result, report) = await LoadAsync(["--http3", "-n", "4", "-c", "1", "-m", "2", "--cacert", Ca, Https("/reset").ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(4, report.GetProperty("errors").GetProperty("RESET_STREAM H3_INTERNAL_ERROR").GetInt64());
    }

    [Fact]
    public async Task ClosedPort_IsAConnectErrorByName_Exit3()
    {
        var port = FreeTcpPort();
        var (result, report) = await LoadAsync(["-n", "10", "-c", "2", $"http://127.0.0.1:{port}/"]);

        Assert.True(result.ExitCode == (int)FailureKind.Connect, result.ToString());
        Assert.Equal(2, report.GetProperty("errors").GetProperty("connect: connection refused").GetInt64());
        Assert.Equal(10, report.GetProperty("requests").GetProperty("not_started").GetInt64());
        Assert.Contains("hxi: error: no connection could be made: connect: connection refused", result.StdErr);
    }

    [Fact]
    public async Task Duration_StopsTheRun_AndStillReports()
    {
        // Long enough for a TLS handshake on a loaded 2-core CI machine: -D counts from the start, connecting included.
        var (result, report) = await LoadAsync(["-D", "2", "-c", "2", "-m", "4", "--cacert", Ca, Https("/json").ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var requests = report.GetProperty("requests");
        Assert.True(requests.GetProperty("done").GetInt64() > 0, result.ToString());
        Assert.Equal(requests.GetProperty("done").GetInt64(), requests.GetProperty("succeeded").GetInt64());
        Assert.False(report.GetProperty("interrupted").GetBoolean());
    }

    [Fact]
    public async Task Duration_StopsAnHttp3Run_AndStillReports()
    {
        Assert.True(fixture.Server.Http3Enabled, fixture.Server.Http3Problem);
        var (result, report) = await LoadAsync(["--http3", "-D", "2", "-c", "2", "-m", "4", "--cacert", Ca, Https("/json").ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var requests = report.GetProperty("requests");
        Assert.Equal(requests.GetProperty("done").GetInt64(), requests.GetProperty("succeeded").GetInt64());
        Assert.Equal(0, requests.GetProperty("errored").GetInt64());
        Assert.False(report.GetProperty("interrupted").GetBoolean());
    }

    /// <summary>
    /// What Ctrl-C does (LoadRunner cancels the run's token from Console.CancelKeyPress): a run of far more requests than
    /// it can send stops, answers in flight are neither answers nor errors, and the report is still printed and written.
    /// </summary>
    [Theory]
    [InlineData(ProtocolMode.Auto)]
    [InlineData(ProtocolMode.Http3Only)]
    public async Task Interrupt_StopsTheRun_AndStillReports_Exit130(ProtocolMode protocol)
    {
        var file = Path.Combine(Path.GetTempPath(), $"hxi-load-{Guid.NewGuid():N}.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var interrupt = new CancellationTokenSource();
        try
        {
            var run = LoadRunner.RunAsync(
                new LoadInvocation
                {
                    Urls = [Https("/json").ToString()],
                    RequestCount = 1_000_000_000,
                    Clients = 2,
                    StreamsPerClient = 4,
                    Protocol = protocol,
                    CaCertificate = Ca,
                    OutputFile = file,
                    Silent = true,
                },
                stdout,
                stderr,
                interrupt.Token);
            interrupt.CancelAfter(TimeSpan.FromSeconds(2));
            var exit = await run.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.True(exit == 130, $"exit {exit}\n{stderr}\n{stdout}");
            Assert.Contains("hxi: interrupted", stderr.ToString());
            Assert.Contains("finished in", stdout.ToString());
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var report = json.RootElement;
            Assert.True(report.GetProperty("interrupted").GetBoolean());
            var requests = report.GetProperty("requests");
            Assert.Equal(0, requests.GetProperty("errored").GetInt64());
            Assert.True(requests.GetProperty("not_started").GetInt64() > 0, report.ToString());
            Assert.Equal(requests.GetProperty("done").GetInt64(), requests.GetProperty("succeeded").GetInt64());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task RateLimitedRun_SendsExactlyN()
    {
        var (result, report) = await LoadAsync(["-n", "15", "-c", "3", "--rps", "2000", "--cacert", Ca, Https("/json").ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertAllSucceeded(report, 15, 200);
    }

    [Fact]
    public async Task JsonReport_HasEveryFigure()
    {
        var (result, report) = await LoadAsync(["-n", "5", "--cacert", Ca, Https("/json").ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var name in new[]
        {
            "elapsed_seconds", "protocol", "clients", "max_concurrent_streams", "threads", "interrupted", "requests_per_second", "bytes_per_second",
            "requests", "status_codes", "errors", "connections_opened", "traffic", "latency_ms", "first_byte_ms", "connect_ms", "connection_first_byte_ms",
        })
        {
            Assert.True(report.TryGetProperty(name, out _), $"no '{name}' in {report}");
        }

        foreach (var name in new[] { "total", "started", "done", "succeeded", "failed", "errored", "timeout", "not_started" })
        {
            Assert.True(report.GetProperty("requests").TryGetProperty(name, out _), $"no requests.{name}");
        }

        var latency = report.GetProperty("latency_ms");
        foreach (var name in new[] { "count", "min", "max", "mean", "sd", "p50", "p90", "p99", "p99_9" })
        {
            Assert.True(latency.TryGetProperty(name, out _), $"no latency_ms.{name}");
        }

        Assert.Equal(5, latency.GetProperty("count").GetInt64());
        Assert.True(latency.GetProperty("min").GetDouble() <= latency.GetProperty("p50").GetDouble());
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("max").GetDouble());
        Assert.True(report.GetProperty("traffic").GetProperty("body_bytes").GetInt64() > 0);
        Assert.Equal(1, report.GetProperty("connect_ms").GetProperty("count").GetInt64());
    }

    [Theory]
    [InlineData("-n", "5", "-D", "1")]
    [InlineData("-n", "0")]
    [InlineData("-c", "0")]
    [InlineData("-D", "1", "--rps", "-3")]
    [InlineData("-n", "5", "--warm-up", "1")]
    [InlineData("--http1.1", "--http3")]
    public async Task BadCommandLines_Exit2(params string[] args)
    {
        var result = await HxiInProcess.RunAsync(["load", .. args, "https://localhost:1/"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("hxi: error: ", result.StdErr);
    }

    [Fact]
    public async Task UrlsOfTwoOrigins_Exit2()
    {
        var result = await HxiInProcess.RunAsync(["load", "-n", "2", "https://localhost:1/a", "https://localhost:2/b"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("one origin", result.StdErr);
    }

    private static void AssertAllSucceeded(JsonElement report, long count, int status)
    {
        var requests = report.GetProperty("requests");
        Assert.Equal(count, requests.GetProperty("total").GetInt64());
        Assert.Equal(count, requests.GetProperty("started").GetInt64());
        Assert.Equal(count, requests.GetProperty("done").GetInt64());
        Assert.Equal(count, requests.GetProperty("succeeded").GetInt64());
        Assert.Equal(0, requests.GetProperty("errored").GetInt64());
        Assert.Equal(count, report.GetProperty("status_codes").GetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetInt64());
        Assert.Equal(count, report.GetProperty("latency_ms").GetProperty("count").GetInt64());
    }

    private static async Task<(CliResult Result, JsonElement Report)> LoadAsync(string[] args)
    {
        var file = Path.Combine(Path.GetTempPath(), $"hxi-load-{Guid.NewGuid():N}.json");
        try
        {
            var result = await HxiInProcess.RunAsync(["load", "-o", file, .. args]);
            Assert.True(File.Exists(file), result.ToString());
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            return (result, json.RootElement.Clone());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
