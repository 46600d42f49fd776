using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Hxi.Server;

namespace Hxi.Net.Tests;

/// <summary>
/// hxi's client against hxi serve's HTTP/3 on loopback: QUIC v2 (RFC 9369), compatible version negotiation (RFC 9368),
/// and the client moving to a new port mid-download or a NAT rebinding it (RFC 9000 Section 9), each checked by SHA-256.
/// </summary>
public sealed class QuicVersionAndMigrationTests
{
    [Fact]
    public async Task Rfc9369_QuicVersion2_HandshakesAndDownloads()
    {
        await using var server = await StartAsync();
        var (result, body) = await DownloadAsync(server, 300_000, "--quic-version", "2", "--quic");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Sha(DeterministicBytes.ForLength(300_000)), Sha(body));
        Assert.Contains("send Initial packet <length=1200, pn=0, version=v2", result.StdErr);
        Assert.Contains("recv Initial packet", result.StdErr);
        Assert.DoesNotContain("version=v1", result.StdErr);
    }

    [Fact]
    public async Task Rfc9368_AVersion1Client_IsUpgradedToVersion2_AndSaysSo()
    {
        await using var server = await StartAsync();
        var (result, body) = await DownloadAsync(server, 100_000, "--quic");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Sha(DeterministicBytes.ForLength(100_000)), Sha(body));
        Assert.Contains("send Initial packet <length=1200, pn=0, version=v1", result.StdErr);
        Assert.Contains("version v1 -> v2 by compatible version negotiation (RFC 9368)", result.StdErr);
        Assert.Contains("version_information", result.StdErr);
    }

    [Fact]
    public async Task Rfc9000_9_TheClientMovesToANewPort_MidDownload_AndTheServerValidatesIt()
    {
        var log = new ConcurrentQueue<string>();
        await using var server = await StartAsync(log);
        var (result, body) = await DownloadAsync(server, 400_000, "--rebind-after", "40", "--quic");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Sha(DeterministicBytes.ForLength(400_000)), Sha(body));
        Assert.Contains("path changed: the client moved to a new local port; new connection ID", result.StdErr);
        Assert.Contains("PATH_CHALLENGE data=", result.StdErr);
        Assert.Contains("PATH_RESPONSE data=", result.StdErr);
        Assert.Contains("path validated", result.StdErr);
        Assert.Contains(log, line => line.Contains("moved to", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rfc9000_9_TheClientMovesToAnotherLoopbackAddress_AndTheDownloadCompletes()
    {
        var log = new ConcurrentQueue<string>();
        await using var server = await StartAsync(log);
        var (result, body) = await DownloadAsync(server, 2_000_000, "--rebind-after", "100", "--rebind-address", "127.0.0.2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Sha(DeterministicBytes.ForLength(2_000_000)), Sha(body));
        Assert.Contains(log, line => line.Contains("moved to 127.0.0.2:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rfc9000_9_3_ANatRebindingMidDownload_IsFollowedByTheServer()
    {
        var log = new ConcurrentQueue<string>();
        await using var server = await StartAsync(log);
        await using var relay = new UdpRelay(new IPEndPoint(IPAddress.Loopback, server.HttpsUri.Port), LinkConditions.Perfect, LinkConditions.Perfect);
        var before = relay.ServerSidePort;
        const int size = 8_000_000;
        var download = DownloadAsync(server, size, relay.EndPoint.Port);
        while (relay.Forwarded < 600 && !download.IsCompleted)
        {
            await Task.Delay(1);
        }

        relay.RebindServerSide();
        var (result, body) = await download;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Sha(DeterministicBytes.ForLength(size)), Sha(body));
        Assert.NotEqual(before, relay.ServerSidePort);
        Assert.Contains(log, line => line.Contains($"moved to 127.0.0.1:{relay.ServerSidePort}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("3", "--quic-version takes 1 or 2")]
    [InlineData("banana", "--quic-version takes 1 or 2")]
    public async Task ABadQuicVersion_IsAUsageError(string version, string message)
    {
        var result = await HxiInProcess.RunAsync("--http3-only", "--quic-version", version, "https://127.0.0.1:1/");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StdErr);
    }

    private static Task<EmbeddedServer> StartAsync(ConcurrentQueue<string>? log = null) =>
        EmbeddedServer.StartAsync(new EmbeddedServerOptions { Log = log is null ? null : log.Enqueue });

    private static Task<(CliResult Result, byte[] Body)> DownloadAsync(EmbeddedServer server, int size, params string[] options) =>
        DownloadAsync(server, size, server.HttpsUri.Port, options);

    private static async Task<(CliResult Result, byte[] Body)> DownloadAsync(EmbeddedServer server, int size, int port, params string[] options)
    {
        var file = Path.Combine(Path.GetTempPath(), $"hxi-quic-{Guid.NewGuid():n}.bin");
        try
        {
            var url = $"https://{server.HttpsUri.Host}:{port}/bytes/{size}";
            var result = await HxiInProcess.RunAsync([.. options, "--http3-only", "--cacert", server.CaCertificatePath, "-o", file, url]);
            return (result, File.Exists(file) ? await File.ReadAllBytesAsync(file) : []);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
