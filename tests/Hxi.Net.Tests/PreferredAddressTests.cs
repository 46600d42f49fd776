using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Hxi.Server;

namespace Hxi.Net.Tests;

/// <summary>
/// hxi's client against hxi serve's HTTP/3 with a preferred address (RFC 9000 Section 9.6) on loopback: a real UDP
/// download that moves to the preferred address's socket after the handshake, checked by SHA-256.
/// </summary>
public sealed class PreferredAddressTests
{
    [Fact]
    public async Task Rfc9000_9_6_TheClientMovesToTheServersPreferredAddress_AndTheDownloadCompletesThere()
    {
        var log = new ConcurrentQueue<string>();
        await using var server = await StartAsync(log);
        const int size = 4_000_000;
        var (result, body) = await DownloadAsync(server, size, "--quic");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Sha(DeterministicBytes.ForLength(size)), Sha(body));
        var preferred = server.Http3PreferredAddress!;
        Assert.NotEqual(server.HttpsUri.Port, preferred.Port);
        Assert.Contains($"preferred_address", result.StdErr);
        Assert.Contains("path probe validated", result.StdErr);
        Assert.Contains("path changed: moved to the server's preferred address; new connection ID", result.StdErr);
        Assert.Contains(log, line => line.Contains($"at the preferred address {preferred}", StringComparison.Ordinal));
        // The client's datagrams after the move reached the second socket, and the body left from it: beyond the probe's
        // one answer, the server sent data from there.
        Assert.True(server.Http3PreferredAddressDatagrams > 1, $"{server.Http3PreferredAddressDatagrams} datagrams received at the preferred address");
        Assert.True(server.Http3PreferredAddressDatagramsSent > 10, $"{server.Http3PreferredAddressDatagramsSent} datagrams sent from the preferred address");
    }

    [Fact]
    public async Task Rfc9000_9_6_1_WithNoPreferredAddress_TheClientStaysOnTheOriginalAddress()
    {
        var log = new ConcurrentQueue<string>();
        await using var server = await StartAsync(log);
        const int size = 300_000;
        var (result, body) = await DownloadAsync(server, size, "--no-preferred-address", "--quic");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Sha(DeterministicBytes.ForLength(size)), Sha(body));
        Assert.Contains("preferred_address", result.StdErr);
        Assert.DoesNotContain("path probe", result.StdErr);
        Assert.Equal(0, server.Http3PreferredAddressDatagrams);
        Assert.Equal(0, server.Http3PreferredAddressDatagramsSent);
        Assert.DoesNotContain(log, line => line.Contains("moved to", StringComparison.Ordinal));
    }

    private static Task<EmbeddedServer> StartAsync(ConcurrentQueue<string> log) =>
        EmbeddedServer.StartAsync(new EmbeddedServerOptions
        {
            Log = log.Enqueue,
            Http3PreferredAddress = new IPEndPoint(IPAddress.Loopback, 0),
        });

    private static async Task<(CliResult Result, byte[] Body)> DownloadAsync(EmbeddedServer server, int size, params string[] options)
    {
        var file = Path.Combine(Path.GetTempPath(), $"hxi-preferred-{Guid.NewGuid():n}.bin");
        try
        {
            var url = $"https://{server.HttpsUri.Host}:{server.HttpsUri.Port}/bytes/{size}";
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
