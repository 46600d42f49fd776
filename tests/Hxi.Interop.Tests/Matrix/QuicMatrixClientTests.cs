using System.Net;
using System.Text.Json;
using Hxi.Net.Tests;

namespace Hxi.Interop.Tests;

/// <summary>
/// quic-interop-runner's test cases with hxi as the client and Caddy 2.6 (quic-go) as the server, over HTTP/3, through
/// the test kit's relay where the case needs a bad network. Each checks what the runner checks: the files arrive whole
/// (SHA-256), and the case's own mark (the key phase changed, only ChaCha20 was offered...). docs/quic-interop.md has
/// the table. retry is not here: Caddy 2.6 never sends a Retry (hxi's Retry handling is tested against hxi serve).
/// </summary>
[Collection(CaddyCollection.Name)]
[Trait("Category", "Interop")]
[Trait("Category", "QuicMatrix")]
public sealed class QuicMatrixClientTests(CaddyFixture caddy) : IDisposable
{
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(90);

    [RequiresPeerFact("caddy")]
    public async Task Handshake_SmallFileArrives()
    {
        var (result, body) = await FetchAsync(Direct("/files/small.txt"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(PeerFiles.SmallTextContent, File.ReadAllText(body));
    }

    [RequiresPeerFact("caddy")]
    public async Task Transfer_TenMegabytes_MatchSha256()
    {
        var (result, body) = await FetchAsync(Direct("/files/10mb.bin"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(caddy.File10MbSha256, MatrixFiles.Sha256(body));
    }

    [RequiresPeerFact("caddy")]
    public async Task Multiplexing_TwentyRequestsOnOneConnection()
    {
        // Several URLs share one connection and go out together (--stat's table lists each stream).
        var urls = Enumerable.Repeat(Direct("/files/small.txt"), 20).ToArray();
        var result = await HxiRunner.RunAsync(["--http3-only", "--cacert", caddy.CaPath, "--stat", .. urls], CaseTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Concat(Enumerable.Repeat(PeerFiles.SmallTextContent, 20)), result.StdOut);
        // Client-initiated bidirectional streams 0, 4, ... 76: twenty of them on the one connection.
        foreach (var stream in Enumerable.Range(0, 20).Select(i => i * 4))
        {
            Assert.Matches($@"(?m)^\s*{stream}\s+200\b", result.StdErr);
        }
    }

    [RequiresPeerFact("caddy")]
    public async Task LongRtt_HandshakeAndTransferComplete()
    {
        await using var relay = Relay(MatrixLinks.LongRtt, MatrixLinks.LongRtt, seed: 1);
        var (result, body) = await FetchAsync(Relayed(relay, "/files/small.txt"), "--connect-timeout", "30");
        Assert.True(result.ExitCode == 0, $"{result}\n{relay}");
        Assert.Equal(PeerFiles.SmallTextContent, File.ReadAllText(body));
    }

    [RequiresPeerFact("caddy")]
    public async Task ChaCha20_OnlyChaCha20Offered_AndChosen()
    {
        var trace = Path.GetTempFileName();
        try
        {
            var (result, body) = await FetchAsync(Direct("/files/small.txt"), "--tls-ciphers", "TLS_CHACHA20_POLY1305_SHA256", "--trace", trace);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(PeerFiles.SmallTextContent, File.ReadAllText(body));
            var tls = WireTrace.ReadLines(trace).Where(l => l.GetProperty("layer").GetString() == "tls").ToList();
            var offered = tls.Single(l => l.TryGetProperty("cipher_suites", out _)).GetProperty("cipher_suites");
            Assert.Equal(["TLS_CHACHA20_POLY1305_SHA256"], offered.EnumerateArray().Select(s => s.GetString()));
            var chosen = tls.Single(l => l.TryGetProperty("cipher_suite", out _)).GetProperty("cipher_suite").GetString();
            Assert.Equal("TLS_CHACHA20_POLY1305_SHA256", chosen);
        }
        finally
        {
            File.Delete(trace);
        }
    }

    [RequiresPeerFact("caddy")]
    public async Task Http3_JsonRouteAnswersOverHttp3()
    {
        var (result, body) = await FetchAsync(Direct("/json"));
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(body));
        Assert.Equal("HTTP/3.0", json.RootElement.GetProperty("proto").GetString());
    }

    [RequiresPeerFact("caddy")]
    public async Task Blackhole_TransferSurvivesTwoDarkSeconds()
    {
        var (toServer, toClient) = MatrixLinks.Blackhole(afterDatagramsToClient: 300, TimeSpan.FromSeconds(2));
        await using var relay = Relay(toServer, toClient, seed: 2);
        var (result, body) = await FetchAsync(Relayed(relay, "/files/10mb.bin"));
        Assert.True(result.ExitCode == 0, $"{result}\n{relay}");
        Assert.Equal(caddy.File10MbSha256, MatrixFiles.Sha256(body));
        Assert.True(relay.ToClientCounters.Dropped > 0, relay.ToString());
    }

    [RequiresPeerFact("caddy")]
    public async Task KeyUpdate_HxiUpdatesItsKeys_AndCaddyFollows()
    {
        var qlog = MatrixFiles.NewDirectory("hxi-matrix-keyupdate-");
        try
        {
            var (result, body) = await FetchAsync(Direct("/files/10mb.bin"), "--key-update-after", "20", "--qlog", qlog);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(caddy.File10MbSha256, MatrixFiles.Sha256(body));
            var events = MatrixFiles.QlogEvents(qlog);
            var sent = MatrixFiles.KeyPhases(events, "transport:packet_sent");
            var received = MatrixFiles.KeyPhases(events, "transport:packet_received");
            // The runner's check: the client's key phase changed, and the server's packets followed into the new phase.
            Assert.True(MatrixFiles.Flips(sent) >= 2, $"hxi's key phase flipped {MatrixFiles.Flips(sent)} times in {sent.Count} packets");
            Assert.True(MatrixFiles.Flips(received) >= 1, $"Caddy's key phase flipped {MatrixFiles.Flips(received)} times in {received.Count} packets");
        }
        finally
        {
            MatrixFiles.Delete(qlog);
        }
    }

    [RequiresPeerFact("caddy")]
    public async Task Ecn_HxiMarksEct0_CaddyReportsNoCounts_SoHxiStopsMarking_AndTheTransferCompletes()
    {
        // Caddy 2.6 hands quic-go 0.29 a wrapped UDP socket, so quic-go can neither read nor set ECN bits: its ACKs carry
        // no counts and its datagrams no marks. The runner's ecn case cannot pass against it; what hxi must do is notice
        // (RFC 9000 13.4.2.1), stop marking, and carry on (docs/quic-interop.md).
        var qlog = MatrixFiles.NewDirectory("hxi-matrix-ecn-");
        try
        {
            var (result, body) = await FetchAsync(Direct("/files/10mb.bin"), "--qlog", qlog);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(caddy.File10MbSha256, MatrixFiles.Sha256(body));
            var events = MatrixFiles.QlogEvents(qlog);
            var sent = MatrixFiles.DatagramEcn(events, "transport:datagrams_sent");
            var received = MatrixFiles.DatagramEcn(events, "transport:datagrams_received");
            var states = MatrixFiles.EcnStates(events);
            var report = $"hxi sent {Count(sent)}; received {Count(received)}; states {string.Join(" -> ", states)}";

            Assert.Contains("ECT(0)", sent);
            Assert.True(sent.Count(e => e == "ECT(0)") <= 10, report);
            Assert.Empty(MatrixFiles.AckEcnCounts(events, "transport:packet_received"));
            Assert.Equal(["failed"], states);
            Assert.All(received, e => Assert.Equal("Not-ECT", e));
            Assert.Empty(MatrixFiles.AckEcnCounts(events, "transport:packet_sent"));
            var failed = events.Single(e => e.GetProperty("name").GetString() == "recovery:ecn_state_updated");
            Assert.Contains("without ECN counts", failed.GetProperty("data").GetProperty("trigger").GetString());
        }
        finally
        {
            MatrixFiles.Delete(qlog);
        }
    }

    [RequiresPeerFact("caddy")]
    public async Task AmplificationLimit_CaddySendsAtMostThreeTimesWhatItGot_BeforeValidation()
    {
        var silence = TimeSpan.FromSeconds(1.5);
        await using var relay = Relay(MatrixLinks.ClientSilencedAfterFirstDatagram(silence), LinkConditions.Perfect, seed: 3);
        var watch = new AmplificationWatch(relay, d => d.At >= silence);
        var (result, body) = await FetchAsync(Relayed(relay, "/files/small.txt"));
        Assert.True(result.ExitCode == 0, $"{result}\n{relay}");
        Assert.Equal(PeerFiles.SmallTextContent, File.ReadAllText(body));
        var (client, server) = watch.BeforeValidation;
        Assert.True(client >= 1200, $"the client's first datagram was {client} bytes (RFC 9000 14.1)");
        Assert.True(server > 2 * client, $"Caddy sent only {server} bytes: its retransmissions were not tested");
        // quic-go 0.29 checks the limit before each packet, so its last one may pass 3x by less than a packet
        // (3,788 bytes against 3,600 seen here); docs/quic-interop.md notes it. hxi serve keeps the strict limit.
        Assert.True(server < (3 * client) + 1500, $"Caddy sent {server} bytes before validation, over 3 x {client} and a packet");
    }

    [RequiresPeerTheory("caddy")]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public async Task HandshakeLoss_ThirtyPercentEachWay_NewConnectionsComplete(int seed)
    {
        await using var relay = Relay(MatrixLinks.HandshakeLoss, MatrixLinks.HandshakeLoss, seed);
        var (result, body) = await FetchAsync(Relayed(relay, "/files/small.txt"), "--connect-timeout", "60");
        Assert.True(result.ExitCode == 0, $"{result}\n{relay}");
        Assert.Equal(PeerFiles.SmallTextContent, File.ReadAllText(body));
    }

    [RequiresPeerFact("caddy")]
    public async Task TransferLoss_TwoPercentEachWay_TenMegabytesMatchSha256()
    {
        await using var relay = Relay(MatrixLinks.TransferLoss, MatrixLinks.TransferLoss, seed: 4);
        var (result, body) = await FetchAsync(Relayed(relay, "/files/10mb.bin"));
        Assert.True(result.ExitCode == 0, $"{result}\n{relay}");
        Assert.Equal(caddy.File10MbSha256, MatrixFiles.Sha256(body));
        Assert.True(relay.Dropped > 0, relay.ToString());
    }

    [RequiresPeerTheory("caddy")]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(25)]
    public async Task HandshakeCorruption_ThirtyPercentEachWay_NewConnectionsComplete(int seed)
    {
        await using var relay = Relay(MatrixLinks.HandshakeCorruption, MatrixLinks.HandshakeCorruption, seed);
        var (result, body) = await FetchAsync(Relayed(relay, "/files/small.txt"), "--connect-timeout", "60");
        Assert.True(result.ExitCode == 0, $"{result}\n{relay}");
        Assert.Equal(PeerFiles.SmallTextContent, File.ReadAllText(body));
    }

    [RequiresPeerFact("caddy")]
    public async Task TransferCorruption_TwoPercentEachWay_TenMegabytesMatchSha256()
    {
        await using var relay = Relay(MatrixLinks.TransferCorruption, MatrixLinks.TransferCorruption, seed: 5);
        var (result, body) = await FetchAsync(Relayed(relay, "/files/10mb.bin"));
        Assert.True(result.ExitCode == 0, $"{result}\n{relay}");
        Assert.Equal(caddy.File10MbSha256, MatrixFiles.Sha256(body));
        Assert.True(relay.ToClientCounters.Corrupted > 0 && relay.ToServerCounters.Corrupted > 0, relay.ToString());
    }

    [RequiresPeerFact("caddy")]
    public async Task Ipv6_TransferOverLoopbackV6()
    {
        // The runner's ipv6 case needs ::1; on a machine without it the case cannot pass, so it fails rather than hide.
        Assert.True(Loopback.HasIpv6, "this machine cannot bind ::1");
        var (result, body) = await FetchAsync($"https://[::1]:{caddy.HttpsPort}/files/10mb.bin");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(caddy.File10MbSha256, MatrixFiles.Sha256(body));
    }

    private static string Count(IReadOnlyList<string> codepoints) =>
        string.Join(", ", codepoints.GroupBy(c => c).Select(g => $"{g.Count()} {g.Key}"));

    private string Direct(string path) => $"https://127.0.0.1:{caddy.HttpsPort}{path}";

    private static string Relayed(UdpRelay relay, string path) => $"https://127.0.0.1:{relay.EndPoint.Port}{path}";

    private UdpRelay Relay(LinkConditions toServer, LinkConditions toClient, int seed) =>
        new(new IPEndPoint(IPAddress.Loopback, caddy.HttpsPort), toServer, toClient, seed);

    /// <summary>hxi --http3-only, the body into a temporary file (deleted by the OS's temp cleaning if a test dies).</summary>
    private async Task<(ProcessResult Result, string Body)> FetchAsync(string url, params string[] extra)
    {
        var body = Path.Combine(Path.GetTempPath(), $"hxi-matrix-{Guid.NewGuid():N}.body");
        var result = await HxiRunner.RunAsync(["--http3-only", "--cacert", caddy.CaPath, "-s", "-o", body, .. extra, url], CaseTimeout);
        _bodies.Add(body);
        return (result, body);
    }

    private readonly List<string> _bodies = [];

    public void Dispose()
    {
        foreach (var body in _bodies)
        {
            File.Delete(body);
        }
    }
}
