using System.Text.RegularExpressions;
using Hxi.Cli.Output;
using Hxi.Net.Client;
using Hxi.Server;

namespace Hxi.Interop.Tests;

/// <summary>hxi against the embedded Kestrel server (in-process): trailers, many DATA frames, resets, big headers, binary.</summary>
[Collection(EmbeddedServerCollection.Name)]
[Trait("Category", "Interop")]
public sealed class HxiEmbeddedServerTests(EmbeddedServerFixture kestrel)
{
    private Task<ProcessResult> Hxi(params string[] arguments) => HxiRunner.RunAsync(["--cacert", kestrel.CaPath, .. arguments]);

    [Fact]
    public async Task Trailers_AreShownAfterTheBody()
    {
        var result = await Hxi("-i", "--frames", kestrel.Https("/trailers"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("HTTP/2 200\n", result.StdOut);
        Assert.Matches(@"\ngrpc-status: 0\nx-checksum: [0-9a-f]{64}\n$", result.StdOut);
        // The trailers came in a second HEADERS frame that ended the stream.
        Assert.Matches(@"recv HEADERS frame <length=\d+, flags=0x05, stream_id=1>", result.StdErr);
    }

    [Fact]
    public async Task Stream_ComesAsManyDataFrames_OverH2c()
    {
        // Kestrel coalesces flushed lines into as few frames as it likes, so enough lines to need several 16 KB frames.
        const int lines = 1000;
        var result = await Hxi("--frames", "--http2-prior-knowledge", kestrel.H2c($"/stream/{lines}"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(lines, result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var data = Regex.Matches(result.StdErr, @"recv DATA frame <length=(\d+), flags=0x0([01]), stream_id=1>");
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(result.StdOut), data.Sum(m => int.Parse(m.Groups[1].Value)));
        Assert.True(data.Count >= 3, $"only {data.Count} DATA frames\n{result.StdErr}");
        Assert.Equal("1", data[^1].Groups[2].Value);
    }

    [Fact]
    public async Task Reset_ByTheServer_Exits7_NamingInternalError()
    {
        var result = await Hxi(kestrel.Https("/reset"));

        Assert.True(result.ExitCode == 7, result.ToString());
        // Kestrel drops the part of the body still buffered when the handler resets, so stdout may be empty.
        Assert.StartsWith(result.StdOut, "this body stops here, then the stream is reset\n");
        Assert.Equal("hxi: error: the server reset stream 1 with INTERNAL_ERROR\n", result.StdErr);
    }

    [Fact]
    public async Task BigHeaders_ArriveWhole()
    {
        var result = await Hxi("-i", "--frames", kestrel.Https("/bigheaders"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"recv CONTINUATION frame <length=\d+, flags=0x0[04], stream_id=1>", result.StdErr);
        // ProtocolRoutes is internal: its 40 headers of 1,000 letters each are restated here.
        for (var index = 0; index < 40; index++)
        {
            Assert.Contains($"\nx-big-{index:00}: {new string((char)('a' + (index % 26)), 1000)}\n", result.StdOut);
        }
    }

    [Fact]
    public async Task Bytes_ToAFile_AreTheDeterministicBytes()
    {
        const int length = 100_000;
        var path = Path.Combine(Path.GetTempPath(), $"hxi-bytes-{Guid.NewGuid():N}.bin");
        try
        {
            var result = await Hxi("-o", path, kestrel.Https($"/bytes/{length}"));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("", result.StdOut);
            Assert.Equal(DeterministicBytes.ForLength(length), await File.ReadAllBytesAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Bytes_ToATerminal_AreSummarised_NotPrinted()
    {
        // A terminal can't be had under a test runner, so the printer is driven in-process as the CLI drives it for one.
        await using var client = new HxiClient(new ClientOptions { CaCertificatePath = kestrel.CaPath });
        var console = new StringWriter();
        var stdout = new MemoryStream();
        await using var printer = new ResponsePrinter(
            new OutputOptions { ShowHead = true, Pretty = true, Colours = Palette.None }, console, stdout);

        var summary = await client.SendAsync(new HxiRequest("GET", new Uri(kestrel.Https("/bytes/5000")), []), printer, CancellationToken.None);
        await printer.CompleteAsync();

        Assert.Equal(200, summary.Head.StatusCode);
        Assert.Equal(0, stdout.Length);
        Assert.StartsWith("HTTP/2 200\n", console.ToString());
        Assert.EndsWith("\n<5000 bytes of binary data>\n", console.ToString());
    }

    [Fact]
    public async Task Bytes_ToAPipe_AreTheBytes()
    {
        const int length = 3000;
        var result = await HxiRunner.RunStreamingAsync(
            ["--cacert", kestrel.CaPath, kestrel.Https($"/bytes/{length}")],
            async stdout =>
            {
                var copy = new MemoryStream();
                await stdout.CopyToAsync(copy);
                Assert.Equal(DeterministicBytes.ForLength(length), copy.ToArray());
            });

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Timing_ListsEveryPhase()
    {
        var result = await Hxi("--timing", kestrel.Https("/json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var phase in new[] { "dns", "connect", "tls", "first byte", "transfer", "total" })
        {
            Assert.Matches($@"\n  {phase} +\d+\.\d{{3}} ms", result.StdErr);
        }
    }

    [Fact]
    public async Task ConnectionRefused_OnAClosedPort_Exits3()
    {
        var result = await HxiRunner.RunAsync($"http://127.0.0.1:{FreePort.Next()}/");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith("hxi: error: ", result.StdErr);
        Assert.Contains("refused", result.StdErr);
    }

    [Fact]
    public async Task ServerThatNeverAnswers_TimeoutExits5()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;

        var result = await HxiRunner.RunAsync("--timeout", "1", $"http://127.0.0.1:{port}/");

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("timed out", result.StdErr);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(10), result.ToString());
    }

    [Theory]
    [InlineData("--no-such-option", "hxi: error: unknown option '--no-such-option' (see hxi --help)\n")]
    [InlineData("-H", null)]
    public async Task BadCommandLine_IsOneLine_Exit2(string argument, string? message)
    {
        var result = await HxiRunner.RunAsync(argument, "http://127.0.0.1:1/");

        Assert.True(result.ExitCode == 2, result.ToString());
        if (message is not null)
        {
            Assert.Equal(message, result.StdErr);
        }

        Assert.StartsWith("hxi: error: ", result.StdErr);
        Assert.Single(result.StdErr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task BadHeader_IsOneLine_Exit2()
    {
        var result = await HxiRunner.RunAsync("-H", "NoColon", "http://127.0.0.1:1/");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("hxi: error: -H 'NoColon' is not 'Name: value'\n", result.StdErr);
    }

    [Fact]
    public async Task Serve_OnAPortInUse_IsOneLine_Exit2()
    {
        var certificates = Directory.CreateTempSubdirectory("hxi-serve-busy-").FullName;
        try
        {
            var busy = kestrel.Server.HttpsUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

            var result = await HxiRunner.RunAsync("serve", "--https-port", busy, "--http-port", "0", "--h2c-port", "0", "--cert-dir", certificates);

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.StartsWith("hxi: error: ", result.StdErr);
            Assert.Contains("address already in use", result.StdErr);
            Assert.Single(result.StdErr.TrimEnd().Split('\n'));
        }
        finally
        {
            Directory.Delete(certificates, recursive: true);
        }
    }

    [Theory]
    [InlineData("wrong.test", false, "name")]
    [InlineData("127.0.0.1", true, "expired")]
    public async Task CertificateProblems_Exit4_NamingTheCause(string certificateName, bool expired, string cause)
    {
        // The kit's certificate names every loopback address, so a mismatch needs a server with a certificate of its own.
        await using var server = new MisfitTlsServer(certificateName, expired);

        var result = await HxiRunner.RunAsync("--cacert", server.CaPath, $"https://127.0.0.1:{server.Port}/");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.StartsWith("hxi: error: ", result.StdErr);
        Assert.Contains(cause, result.StdErr);
        Assert.Single(result.StdErr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task CookieJar_KeepsWhatARedirectSet_AndWritesCurlsFormat()
    {
        var jar = Path.Combine(Path.GetTempPath(), $"hxi-jar-{Guid.NewGuid():N}.txt");
        try
        {
            // /cookies/set answers 302 with Set-Cookie; the jar must carry the cookie into the redirected request.
            var first = await Hxi("-L", "-c", jar, kestrel.Https("/cookies/set?session=abc123"));
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("\"session\": \"abc123\"", first.StdOut);
            var saved = await File.ReadAllTextAsync(jar);
            Assert.StartsWith("# Netscape HTTP Cookie File", saved);
            Assert.Matches(@"(?m)^localhost\tFALSE\t/\tFALSE\t0\tsession\tabc123$", saved);

            // The saved file sends it again (curl's -b FILE), and a literal -b adds to it.
            var again = await Hxi("-b", jar, kestrel.Https("/cookies"));
            Assert.Contains("\"session\": \"abc123\"", again.StdOut);
            var literal = await Hxi("-b", "a=1; b=2", kestrel.Https("/cookies"));
            Assert.Contains("\"a\": \"1\"", literal.StdOut);
            Assert.Contains("\"b\": \"2\"", literal.StdOut);
        }
        finally
        {
            File.Delete(jar);
        }
    }

    [Fact]
    public async Task WriteOut_PrintsCurlsVariables_AfterTheBody()
    {
        var result = await Hxi("-w", "\\n%{http_code} %{http_version} %{size_download} %{num_redirects}\\n", "-L", kestrel.Https("/redirect/2"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"\n200 2 \d+ 2\n$", result.StdOut);
    }

    [Fact]
    public async Task DefaultHeaders_ReachTheServer_AndCanBeRemoved()
    {
        var defaults = await Hxi(kestrel.Https("/headers"));
        Assert.Matches("\"user-agent\": \"hxi/\\d+\\.\\d+\\.\\d+", defaults.StdOut.ToLowerInvariant());
        Assert.Contains("\"accept\": \"*/*\"", defaults.StdOut.ToLowerInvariant());

        var removed = await Hxi("-H", "User-Agent:", "-H", "X-Empty;", kestrel.Https("/headers"));
        Assert.DoesNotContain("user-agent", removed.StdOut.ToLowerInvariant());
        Assert.Contains("\"x-empty\": \"\"", removed.StdOut.ToLowerInvariant());
    }

    [Fact]
    public async Task Redirect_ReusesTheConnection_AndWriteOutCountsItsConnectAsCurlDoes()
    {
        // The redirect's target is asked for on the connection the first request opened: --timing says so, and
        // -w's time_connect is still when that connection was made, from the start of the run (curl's clock).
        var result = await Hxi("-L", "-o", "/dev/null", "--timing", "-w", "connect=%{time_connect}", kestrel.Https("/redirect/1"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("  connection   reused (opened for an earlier request of this run)\n", result.StdErr);
        Assert.DoesNotContain("  dns ", result.StdErr);
        Assert.Matches(@"^connect=\d+\.\d{6}$", result.StdOut);
        Assert.NotEqual("connect=0.000000", result.StdOut);
    }
}
