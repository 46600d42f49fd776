using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Hxi.Net.Tests;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Trace;
using Hxi.Server;

namespace Hxi.Interop.Tests;

/// <summary>
/// The matrix cases about sessions and paths with hxi serve as the server and quic-go's HTTP/3 client: resumption and
/// zerortt (the client's -resume and -0rtt: a new connection per round, offering the ticket of the round before), and
/// rebind-port and rebind-addr (the relay gives the client a new source port, or address, mid-download: a NAT
/// rebinding that hxi serve must follow, RFC 9000 Section 9.3). quic-go 0.29's client cannot migrate on its own, and
/// speaks only the draft of QUIC v2, so v2 and the move of connectionmigration are tested hxi against hxi
/// (docs/quic-interop.md); against quic-go, connectionmigration checks that a client which takes the preferred address's
/// connection ID but stays (its connection.go: "we don't support connection migration yet") is served in full.
/// </summary>
[Trait("Category", "Interop")]
[Trait("Category", "QuicMatrix")]
public sealed class QuicMatrixSessionAndPathTests
{
    private const int EightMegabytes = 8 * 1024 * 1024;

    [RequiresPeerFact("go")]
    public async Task Resumption_TheSecondAndThirdConnectionsResume()
    {
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions());
        var result = await QuicGoClient.RunAsync("-ca", server.CaCertificatePath, "-resume", "-n", "3", Url(server.HttpsUri.Port, "/bytes/2000"));

        Assert.Equal(["full", "resumed", "resumed"], Sessions(result, 3, 2000));
    }

    [RequiresPeerFact("go")]
    public async Task ZeroRtt_ResumedRequestsArriveIn0Rtt_AndHxiServeReadsThem()
    {
        var taps = new ServerTaps<ZeroRttTap>();
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { Http3ConnectionTap = taps.Create });

        var result = await QuicGoClient.RunAsync("-ca", server.CaCertificatePath, "-resume", "-0rtt", "-n", "3", Url(server.HttpsUri.Port, "/bytes/2000"));

        Assert.Equal(["full", "resumed", "resumed"], Sessions(result, 3, 2000));
        var accepted = taps.All.Select(t => t.StreamFramesIn0Rtt).ToList();
        Assert.Equal(3, accepted.Count);
        // The first connection had no ticket; each later one carried its request in 0-RTT, and hxi serve decrypted it.
        Assert.Equal(0, accepted[0]);
        Assert.All(accepted.Skip(1), frames => Assert.True(frames > 0, $"STREAM frames read in 0-RTT per connection: {string.Join(", ", accepted)}"));
    }

    [RequiresPeerFact("go")]
    public async Task RebindPort_ANatRebindingMidDownload_IsFollowed()
    {
        var result = await DownloadThroughRebinding(address: null);

        Assert.Equal(["full"], Sessions(result.Output, 1, EightMegabytes));
        Assert.Contains(result.Log, line => line.Contains($"moved to {result.NewEndPoint}", StringComparison.Ordinal));
    }

    [RequiresPeerFact("go")]
    public async Task RebindAddr_ANewClientAddressMidDownload_IsFollowed()
    {
        var result = await DownloadThroughRebinding(IPAddress.Parse("127.0.0.2"));

        Assert.Equal(["full"], Sessions(result.Output, 1, EightMegabytes));
        Assert.StartsWith("127.0.0.2:", result.NewEndPoint.ToString(), StringComparison.Ordinal);
        Assert.Contains(result.Log, line => line.Contains($"moved to {result.NewEndPoint}", StringComparison.Ordinal));
    }

    [RequiresPeerFact("go")]
    public async Task ConnectionMigration_AClientThatStaysOnTheOriginalAddress_IsServedInFull()
    {
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { Http3PreferredAddress = new IPEndPoint(IPAddress.Loopback, 0) });

        var result = await QuicGoClient.RunAsync("-ca", server.CaCertificatePath, "-resume", Url(server.HttpsUri.Port, $"/bytes/{EightMegabytes}"));

        Assert.Equal(["full"], Sessions(result, 1, EightMegabytes));
        Assert.NotNull(server.Http3PreferredAddress);
        // quic-go 0.29 stores the preferred address's connection ID (sequence 1) and never probes the address itself.
        Assert.Equal(0, server.Http3PreferredAddressDatagrams);
    }

    private static async Task<(ProcessResult Output, IPEndPoint NewEndPoint, IReadOnlyCollection<string> Log)> DownloadThroughRebinding(IPAddress? address)
    {
        var log = new ConcurrentQueue<string>();
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { Log = log.Enqueue });
        await using var relay = new UdpRelay(new IPEndPoint(IPAddress.Loopback, server.HttpsUri.Port), LinkConditions.Perfect, LinkConditions.Perfect, seed: 37);
        // -resume only to have each line say how the session went: one round, one full handshake.
        var download = QuicGoClient.RunAsync("-ca", server.CaCertificatePath, "-resume", Url(relay.EndPoint.Port, $"/bytes/{EightMegabytes}"));
        while (relay.Forwarded < 600 && !download.IsCompleted)
        {
            await Task.Delay(1);
        }

        relay.RebindServerSide(address);
        var output = await download;
        Assert.True(relay.Rebinds == 1 && relay.ToClientCounters.Datagrams > 600, relay.ToString());
        return (output, relay.ServerSideEndPoint, log);
    }

    private static string Url(int port, string path) => $"https://127.0.0.1:{port}{path}";

    /// <summary>With -resume, quic-go-client prints "status size sha256 full|resumed" per response: the bodies are checked, the session kinds returned.</summary>
    private static List<string> Sessions(ProcessResult result, int count, int length)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = $"200 {length.ToString(CultureInfo.InvariantCulture)} {Convert.ToHexStringLower(SHA256.HashData(DeterministicBytes.ForLength(length)))} ";
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count, lines.Length);
        Assert.All(lines, line => Assert.StartsWith(expected, line, StringComparison.Ordinal));
        return [.. lines.Select(line => line[expected.Length..])];
    }

    /// <summary>Counts the STREAM frames hxi serve decrypted from 0-RTT packets on one connection.</summary>
    private sealed class ZeroRttTap : IWireTap
    {
        private int _frames;

        public int StreamFramesIn0Rtt => Volatile.Read(ref _frames);

        public void Record(in WireRecord record)
        {
            if (record.Direction == WireDirection.Received && record.Decoded is QuicPacketTrace { Type: QuicPacketType.ZeroRtt } packet)
            {
                Interlocked.Add(ref _frames, packet.Frames.Count(f => f is StreamFrame));
            }
        }
    }
}
