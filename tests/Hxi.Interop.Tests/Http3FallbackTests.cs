using System.Net;
using System.Net.Sockets;

namespace Hxi.Interop.Tests;

/// <summary>
/// --http3 and --http3-only where no HTTP/3 server answers: an embedded server with its HTTP/3 front turned off
/// listens on TCP only, so its port refuses UDP (ICMP port unreachable); a bound UDP socket that never answers
/// is a black hole.
/// </summary>
[Trait("Category", "Interop")]
public sealed class Http3FallbackTests(TcpOnlyServerFixture kestrel) : IClassFixture<TcpOnlyServerFixture>
{
    /// <summary>
    /// Below the 10 s handshake timeout with room for a loaded machine's process start-up; the message (refused,
    /// not timed out) is what proves a refusal never waits for the 3 s fallback timeout.
    /// </summary>
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Http3_AgainstATcpOnlyServer_FallsBackToHttp2AtOnce_AndSaysWhy()
    {
        var result = await HxiRunner.RunAsync("--cacert", kestrel.CaPath, "--http3", "-v", "-i", kestrel.Https("/json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("HTTP/2 200\n", result.StdOut);
        Assert.Matches(@"\* falling back from HTTP/3 to TCP: QUIC connection to 127\.0\.0\.1:\d+ refused: nothing listens on UDP port \d+ \(ICMP port unreachable\)\n", result.StdErr);
        Assert.Contains("* ALPN offered h2, http/1.1; server chose h2\n", result.StdErr);
        Assert.True(result.Elapsed < Quickly, result.ToString());
    }

    [Fact]
    public async Task Http3Only_AgainstATcpOnlyServer_FailsAtOnce_WithOneLine_Exit3()
    {
        var result = await HxiRunner.RunAsync("--cacert", kestrel.CaPath, "--http3-only", kestrel.Https("/json"));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal("", result.StdOut);
        Assert.Matches(@"^hxi: error: QUIC connection to 127\.0\.0\.1:\d+ refused: nothing listens on UDP port \d+ \(ICMP port unreachable\)\n$", result.StdErr);
        Assert.True(result.Elapsed < Quickly, result.ToString());
    }

    [Fact]
    public async Task Http3Only_AgainstASilentUdpPort_TimesOutAfterTheConnectTimeout_Exit5()
    {
        // Bound, so the kernel sends no ICMP refusal; never read, so no answer: only the timeout can end the wait.
        using var blackHole = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        blackHole.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)blackHole.LocalEndPoint!).Port;

        var result = await HxiRunner.RunAsync("--cacert", kestrel.CaPath, "--http3-only", "--connect-timeout", "0.5", $"https://127.0.0.1:{port}/json");

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Matches(@"^hxi: error: QUIC handshake with 127\.0\.0\.1:\d+ timed out after 0\.5 s \(no answer over UDP: is HTTP/3 enabled there\?\)\n$", result.StdErr);
        Assert.True(result.Elapsed < Quickly, result.ToString());
    }
}

/// <summary>The embedded server without its HTTP/3 front: HTTP/1.1 and HTTP/2 over TLS, nothing on UDP.</summary>
public sealed class TcpOnlyServerFixture : IAsyncLifetime
{
    private Hxi.Server.EmbeddedServer _server = null!;

    public string CaPath => _server.CaCertificatePath;

    public string Https(string path) => new Uri(_server.HttpsUri, path).ToString();

    public async Task InitializeAsync() => _server = await Hxi.Server.EmbeddedServer.StartAsync(new Hxi.Server.EmbeddedServerOptions { Http3 = false });

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
