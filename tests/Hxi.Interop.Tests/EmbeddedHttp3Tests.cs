using System.Security.Cryptography;
using Hxi.Server;

namespace Hxi.Interop.Tests;

/// <summary>
/// hxi's QUIC client against hxi's QUIC server (the embedded server's HTTP/3 front) over real UDP
/// sockets: what `hxi demo --http3` and `hxi serve` offer on a machine with no other peer.
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
[Trait("Category", "Interop")]
public sealed class EmbeddedHttp3Tests(EmbeddedServerFixture server)
{
    private Task<ProcessResult> Hxi(params string[] arguments) => HxiRunner.RunAsync(["--http3-only", "--cacert", server.CaPath, .. arguments]);

    [Fact]
    public async Task Json_IsServedOverHttp3_WithFramesShown()
    {
        Assert.True(server.Server.Http3Enabled, server.Server.Http3Problem);
        var result = await Hxi("-i", "--frames", server.Https("/json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("HTTP/3 200\n", result.StdOut);
        Assert.Contains("\"proto\":\"HTTP/3\"", result.StdOut.Replace(" ", ""));
        Assert.Contains("recv SETTINGS frame", result.StdErr);
        Assert.Contains("send HEADERS frame", result.StdErr);
        Assert.Contains(":path: /json", result.StdErr);
    }

    [Fact]
    public async Task Hex_AloneShowsHttp3Frames_WithTheirBytes_AsOverHttp2()
    {
        var result = await Hxi("--hex", server.Https("/json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("send HEADERS frame", result.StdErr);
        // The dump of the HEADERS frame: type 0x01, then its length, as xxd shows it.
        Assert.Matches(@"send HEADERS frame[^\n]*\n(?:[^\n]*\n)*?\s+00000000: 01", result.StdErr);
    }

    [Fact]
    public async Task HexOfQuicPackets_SaysWhichBytesItShows()
    {
        var result = await Hxi("--quic", "--hex", server.Https("/json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("; bytes as sent: header protection and AEAD applied", result.StdErr);
        Assert.Contains("; bytes after removing protection: clear header and payload", result.StdErr);
    }

    [Fact]
    public async Task PostEcho_AndTrailers_CrossTheFront()
    {
        var echo = await Hxi("-d", "hello over quic", server.Https("/echo"));
        Assert.True(echo.ExitCode == 0, echo.ToString());
        Assert.Equal("hello over quic", echo.StdOut);

        var trailers = await Hxi("-i", server.Https("/trailers"));
        Assert.True(trailers.ExitCode == 0, trailers.ToString());
        // Trailer order is the route's (x-checksum first) over HTTP/3, Kestrel's known-header order over HTTP/2; either is fine.
        Assert.Matches(@"\n(grpc-status: 0\nx-checksum: [0-9a-f]{64}|x-checksum: [0-9a-f]{64}\ngrpc-status: 0)\n$", trailers.StdOut);
    }

    [Fact]
    public async Task FourMegabyteUpload_FromAFile_EchoesBackIntact()
    {
        // Larger than both flow-control windows of the front's h2c hop, where a half-duplex body once deadlocked;
        // and `-d @FILE` must read the file, not expand it as a response file of more arguments.
        var upload = Path.Combine(Path.GetTempPath(), $"hxi-h3-up-{Guid.NewGuid():N}.bin");
        var echoed = upload + ".echo";
        try
        {
            var body = RandomNumberGenerator.GetBytes(4_000_000);
            await File.WriteAllBytesAsync(upload, body);
            var result = await Hxi("-d", "@" + upload, "-o", echoed, server.Https("/echo"));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(SHA256.HashData(body), SHA256.HashData(File.ReadAllBytes(echoed)));
        }
        finally
        {
            File.Delete(upload);
            File.Delete(echoed);
        }
    }

    [Fact]
    public async Task Timing_OverHttp3_ShowsTheQuicHandshakeAsOnePhase()
    {
        var result = await Hxi("--timing", server.Https("/json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var phase in new[] { "dns", "quic", "first byte", "transfer", "total" })
        {
            Assert.Matches($@"\n  {phase} +\d+\.\d{{3}} ms", result.StdErr);
        }

        Assert.Contains("(connection and TLS 1.3 handshake)", result.StdErr);
        Assert.DoesNotMatch(@"\n  (connect|tls) ", result.StdErr);
    }

    [Fact]
    public async Task TenMegabytes_ArriveIntact()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hxi-h3-{Guid.NewGuid():N}.bin");
        try
        {
            var result = await Hxi("-o", file, server.Https("/bytes/10000000"));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(SHA256.HashData(DeterministicBytes.ForLength(10_000_000)), SHA256.HashData(File.ReadAllBytes(file)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Redirect_ReusesTheConnection_AndWriteOutCountsItsConnectAsCurlDoes()
    {
        // The redirect's target is asked for on the connection the first request opened: --timing says so, and
        // -w's time_connect is still when that connection was made, from the start of the run (curl's clock).
        var result = await Hxi("-L", "-o", "/dev/null", "--timing", "-w", "connect=%{time_connect}", server.Https("/redirect/1"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("  connection   reused (opened for an earlier request of this run)\n", result.StdErr);
        Assert.DoesNotContain("  dns ", result.StdErr);
        Assert.Matches(@"^connect=\d+\.\d{6}$", result.StdOut);
        Assert.NotEqual("connect=0.000000", result.StdOut);
    }
}
