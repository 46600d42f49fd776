using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Hxi.Net.Tests;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Tls;
using Hxi.Server;

namespace Hxi.Interop.Tests;

/// <summary>
/// quic-interop-runner's test cases with hxi serve as the server and quic-go's HTTP/3 client (Peers/quic-go-client.go)
/// as the client, through the test kit's relay where the case needs a bad network. Debian's curl has no HTTP/3, so
/// quic-go is the one other client here (docs/quic-interop.md). quic-go's client cannot be told to start a key update
/// or to offer only ChaCha20 (Go's TLS 1.3 suites are fixed), so in those cases hxi serve is the side that insists.
/// </summary>
[Collection(Http3PeerServerCollection.Name)]
[Trait("Category", "Interop")]
[Trait("Category", "QuicMatrix")]
public sealed class QuicMatrixServerTests(Http3PeerServerFixture server)
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    [RequiresPeerFact("go")]
    public async Task Handshake_OneRequestAnswered()
    {
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, Direct(server.Port, "/bytes/1234"));
        AssertLines(result, 1, 1234);
    }

    [RequiresPeerFact("go")]
    public async Task Transfer_TenMegabytes_MatchSha256()
    {
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, Direct(server.Port, $"/bytes/{TenMegabytes}"));
        AssertLines(result, 1, TenMegabytes);
    }

    [RequiresPeerFact("go")]
    public async Task Multiplexing_FiftyStreamsAtOnce()
    {
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, "-parallel", "50", Direct(server.Port, "/bytes/5000"));
        AssertLines(result, 50, 5000);
    }

    [RequiresPeerFact("go")]
    public async Task Http3_SequentialRequestsOnOneConnection()
    {
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, "-n", "10", Direct(server.Port, "/bytes/3000"));
        AssertLines(result, 10, 3000);
    }

    [RequiresPeerFact("go")]
    public async Task LongRtt_HandshakeAndRequestComplete()
    {
        await using var relay = Relay(server.Port, MatrixLinks.LongRtt, MatrixLinks.LongRtt, seed: 31);
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, Relayed(relay, "/bytes/20000"));
        AssertLines(result, 1, 20_000, relay);
    }

    [RequiresPeerFact("go")]
    public async Task ChaCha20_AServerThatAcceptsOnlyChaCha20_Serves()
    {
        await using var chacha = await EmbeddedServer.StartAsync(new EmbeddedServerOptions
        {
            Http3QuicOptions = quic => quic with { CipherSuites = [TlsCipherSuite.ChaCha20Poly1305Sha256] },
        });
        var result = await QuicGoClient.RunAsync("-ca", chacha.CaCertificatePath, Direct(chacha.HttpsUri.Port, "/bytes/100000"));
        AssertLines(result, 1, 100_000);
    }

    [RequiresPeerFact("go")]
    public async Task Retry_ServerSendsRetry_AndTheClientCompletes()
    {
        await using var retrying = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { Http3AlwaysRetry = true });
        await using var relay = Relay(retrying.HttpsUri.Port, LinkConditions.Perfect, LinkConditions.Perfect, seed: 32);
        var packets = new PacketTypeWatch(relay);
        var result = await QuicGoClient.RunAsync("-ca", retrying.CaCertificatePath, Relayed(relay, "/bytes/4000"));
        AssertLines(result, 1, 4000, relay);
        Assert.Contains(SniffedPacket.Retry, packets.ToClient);
        // After the Retry the client's Initials carry the token: at least two Initial flights went to the server.
        Assert.True(packets.ToServer.Count(p => p == SniffedPacket.Initial) >= 2, string.Join(", ", packets.ToServer));
    }

    [RequiresPeerFact("go")]
    public async Task KeyUpdate_HxiServeUpdatesItsKeys_AndQuicGoFollows()
    {
        var taps = new ServerTaps<KeyPhaseTap>();
        await using var updating = await EmbeddedServer.StartAsync(new EmbeddedServerOptions
        {
            Http3QuicOptions = quic => quic with { KeyUpdateInterval = 300 },
            Http3ConnectionTap = taps.Create,
        });
        var result = await QuicGoClient.RunAsync("-ca", updating.CaCertificatePath, Direct(updating.HttpsUri.Port, $"/bytes/{TenMegabytes}"));
        AssertLines(result, 1, TenMegabytes);
        var tap = Assert.Single(taps.All);
        Assert.True(MatrixFiles.Flips(tap.Sent) >= 2, $"hxi serve's key phase flipped {MatrixFiles.Flips(tap.Sent)} times in {tap.Sent.Count} packets");
        Assert.True(MatrixFiles.Flips(tap.Received) >= 1, $"quic-go's key phase flipped {MatrixFiles.Flips(tap.Received)} times in {tap.Received.Count} packets");
    }

    [RequiresPeerFact("go")]
    public async Task Ecn_HxiServeMarksEct0_QuicGoCountsTheMarks_AndThePathIsCapable()
    {
        var taps = new ServerTaps<EcnTap>();
        await using var marking = await EmbeddedServer.StartAsync(new EmbeddedServerOptions
        {
            Http3ConnectionTap = taps.Create,
        });
        var result = await QuicGoClient.RunAsync("-ca", marking.CaCertificatePath, Direct(marking.HttpsUri.Port, "/bytes/1000000"));
        AssertLines(result, 1, 1_000_000);
        var tap = Assert.Single(taps.All);

        // The runner's check: the server marked ECT(0) and the client's ACKs carried ECN counts of those marks.
        Assert.Contains(EcnCodepoint.Ect0, tap.Sent);
        Assert.True(tap.PeerCounts.Count > 0 && tap.PeerCounts.Max(c => c.Ect0) > 0, tap.ToString());
        Assert.Equal(EcnState.Capable, tap.States.Select(s => s.New).FirstOrDefault(s => s is EcnState.Capable or EcnState.Failed));
        Assert.DoesNotContain(tap.States, s => s.New == EcnState.Failed);

        // quic-go 0.29 reads the marks but never sets any: everything it sent arrived Not-ECT, so hxi's ACKs are plain.
        Assert.All(tap.Received, ecn => Assert.Equal(EcnCodepoint.NotEct, ecn));
        Assert.Empty(tap.OwnCounts);
    }

    [Fact]
    public async Task Ecn_HxiClientAndHxiServe_BothMark_BothReport_BothCapable()
    {
        var taps = new ServerTaps<EcnTap>();
        await using var marking = await EmbeddedServer.StartAsync(new EmbeddedServerOptions
        {
            Http3ConnectionTap = taps.Create,
        });
        var qlog = MatrixFiles.NewDirectory("hxi-matrix-ecn-serve-");
        var body = Path.Combine(qlog, "body");
        try
        {
            var result = await HxiRunner.RunAsync(
                ["--http3-only", "--cacert", marking.CaCertificatePath, "-s", "-o", body, "--qlog", qlog, Direct(marking.HttpsUri.Port, "/bytes/2000000")],
                TimeSpan.FromSeconds(60));
            Assert.True(result.ExitCode == 0, result.ToString());
            var events = MatrixFiles.QlogEvents(qlog);
            var tap = Assert.Single(taps.All);
            var report = $"client qlog: sent {string.Join(",", MatrixFiles.DatagramEcn(events, "transport:datagrams_sent").Distinct())}, states {string.Join(" -> ", MatrixFiles.EcnStates(events))}; server: {tap}";

            // The client: marked, saw the server's marks, reported them, and found its own path capable.
            Assert.Contains("ECT(0)", MatrixFiles.DatagramEcn(events, "transport:datagrams_sent"));
            Assert.Contains("ECT(0)", MatrixFiles.DatagramEcn(events, "transport:datagrams_received"));
            Assert.True(MatrixFiles.AckEcnCounts(events, "transport:packet_sent").Any(c => c.Ect0 > 0), report);
            Assert.Equal(["capable"], MatrixFiles.EcnStates(events).Where(s => s is "capable" or "failed").Take(1));
            Assert.DoesNotContain("failed", MatrixFiles.EcnStates(events));

            // The server: the same, seen from its tap.
            Assert.Contains(EcnCodepoint.Ect0, tap.Received);
            Assert.True(tap.PeerCounts.Any(c => c.Ect0 > 0) && tap.OwnCounts.Any(c => c.Ect0 > 0), report);
            Assert.DoesNotContain(tap.States, s => s.New == EcnState.Failed);
            Assert.Contains(tap.States, s => s.New == EcnState.Capable);
        }
        finally
        {
            MatrixFiles.Delete(qlog);
        }
    }

    [RequiresPeerFact("go")]
    public async Task Blackhole_TransferSurvivesTwoDarkSeconds()
    {
        var (toServer, toClient) = MatrixLinks.Blackhole(afterDatagramsToClient: 300, TimeSpan.FromSeconds(2));
        await using var relay = Relay(server.Port, toServer, toClient, seed: 33);
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, Relayed(relay, $"/bytes/{TenMegabytes}"));
        AssertLines(result, 1, TenMegabytes, relay);
        Assert.True(relay.ToClientCounters.Dropped > 0, relay.ToString());
    }

    [RequiresPeerFact("go")]
    public async Task AmplificationLimit_HxiServeSendsAtMostThreeTimesWhatItGot_BeforeValidation()
    {
        var silence = TimeSpan.FromSeconds(1.5);
        await using var relay = Relay(server.Port, MatrixLinks.ClientSilencedAfterFirstDatagram(silence), LinkConditions.Perfect, seed: 34);
        var watch = new AmplificationWatch(relay, d => d.At >= silence);
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, Relayed(relay, "/bytes/1000"));
        AssertLines(result, 1, 1000, relay);
        var (client, sent) = watch.BeforeValidation;
        Assert.True(client >= 1200, $"the client's first datagram was {client} bytes");
        Assert.True(sent > 0, "hxi serve sent nothing before validation");
        Assert.True(sent <= 3 * client, $"hxi serve sent {sent} bytes before validation, over 3 x {client}");
    }

    [RequiresPeerTheory("go")]
    [InlineData(41)]
    [InlineData(42)]
    [InlineData(43)]
    public async Task HandshakeLoss_ThirtyPercentEachWay_NewConnectionsComplete(int seed)
    {
        await using var relay = Relay(server.Port, MatrixLinks.HandshakeLoss, MatrixLinks.HandshakeLoss, seed);
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, Relayed(relay, "/bytes/1000"));
        AssertLines(result, 1, 1000, relay);
    }

    [RequiresPeerFact("go")]
    public async Task TransferLoss_TwoPercentEachWay_TenMegabytesMatchSha256()
    {
        await using var relay = Relay(server.Port, MatrixLinks.TransferLoss, MatrixLinks.TransferLoss, seed: 35);
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, Relayed(relay, $"/bytes/{TenMegabytes}"));
        AssertLines(result, 1, TenMegabytes, relay);
        Assert.True(relay.Dropped > 0, relay.ToString());
    }

    [RequiresPeerTheory("go")]
    [InlineData(51)]
    [InlineData(52)]
    [InlineData(53)]
    public async Task HandshakeCorruption_ThirtyPercentEachWay_NewConnectionsComplete(int seed)
    {
        await using var relay = Relay(server.Port, MatrixLinks.HandshakeCorruption, MatrixLinks.HandshakeCorruption, seed);
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, Relayed(relay, "/bytes/1000"));
        AssertLines(result, 1, 1000, relay);
    }

    [RequiresPeerFact("go")]
    public async Task TransferCorruption_TwoPercentEachWay_TenMegabytesMatchSha256()
    {
        await using var relay = Relay(server.Port, MatrixLinks.TransferCorruption, MatrixLinks.TransferCorruption, seed: 36);
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, Relayed(relay, $"/bytes/{TenMegabytes}"));
        AssertLines(result, 1, TenMegabytes, relay);
        Assert.True(relay.ToClientCounters.Corrupted > 0 && relay.ToServerCounters.Corrupted > 0, relay.ToString());
    }

    [RequiresPeerFact("go")]
    public async Task Ipv6_TransferOverLoopbackV6()
    {
        Assert.True(Loopback.HasIpv6, "this machine cannot bind ::1");
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, $"https://[::1]:{server.Port}/bytes/{TenMegabytes}");
        AssertLines(result, 1, TenMegabytes);
    }

    private static string Direct(int port, string path) => $"https://127.0.0.1:{port}{path}";

    private static string Relayed(UdpRelay relay, string path) => $"https://127.0.0.1:{relay.EndPoint.Port}{path}";

    private static UdpRelay Relay(int port, LinkConditions toServer, LinkConditions toClient, int seed) =>
        new(new IPEndPoint(IPAddress.Loopback, port), toServer, toClient, seed);

    /// <summary>quic-go-client prints "status size sha256" per response; each must be /bytes/N's deterministic body.</summary>
    private static void AssertLines(ProcessResult result, int count, int length, UdpRelay? relay = null)
    {
        Assert.True(result.ExitCode == 0, $"{result}\n{relay}");
        var expected = $"200 {length.ToString(CultureInfo.InvariantCulture)} {Convert.ToHexStringLower(SHA256.HashData(DeterministicBytes.ForLength(length)))}";
        Assert.Equal(Enumerable.Repeat(expected, count), result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
