using System.Net;
using System.Security.Cryptography;
using Hxi.Net.Tests;
using Hxi.Server;

namespace Hxi.Interop.Tests;

/// <summary>
/// hxi serve's HTTP/3 against another implementation's client: quic-go's http3 RoundTripper (the QUIC stack Caddy
/// uses), on localhost (::1 first for many clients) and 127.0.0.1.
/// </summary>
[Collection(Http3PeerServerCollection.Name)]
[Trait("Category", "Interop")]
public sealed class QuicGoServerInteropTests(Http3PeerServerFixture server)
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    [RequiresPeerTheory("go")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task ManySequentialRequests_OnOneConnection_AllSucceed(string host)
    {
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, "-n", "30", Url(host, "/bytes/1234"));
        var expected = Line(DeterministicBytes.ForLength(1234));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Enumerable.Repeat(expected, 30), Lines(result));
    }

    [RequiresPeerTheory("go")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task FiftyStreamsAtOnce_AllSucceed(string host)
    {
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, "-parallel", "50", Url(host, "/bytes/20000"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Enumerable.Repeat(Line(DeterministicBytes.ForLength(20_000)), 50), Lines(result));
    }

    [RequiresPeerTheory("go")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task TenMegabyteDownload_MatchesItsSha256(string host)
    {
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, Url(host, $"/bytes/{TenMegabytes}"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([Line(DeterministicBytes.ForLength(TenMegabytes))], Lines(result));
    }

    [RequiresPeerTheory("go")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task TenMegabyteUpload_EchoesBackWithItsSha256(string host)
    {
        var result = await QuicGoClient.RunAsync("-ca", server.CaPath, "-upload", TenMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture), Url(host, "/echo"));
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result);
        Assert.Equal(2, lines.Count);
        var sent = lines[0].Split(' ');
        Assert.Equal($"200 {sent[1]} {sent[2]}", lines[1]);
    }

    [RequiresPeerFact("go")]
    public async Task RequestsThroughALossyLink_AreRetransmittedAndServed()
    {
        // 5% of datagrams lost each way (seeded), so requests, responses and ACKs are retransmitted.
        var lossy = new LinkConditions { Loss = 0.05 };
        await using var relay = new UdpRelay(new IPEndPoint(IPAddress.Loopback, server.Port), lossy, lossy, seed: 9);
        var url = $"https://127.0.0.1:{relay.EndPoint.Port}";

        var downloads = await QuicGoClient.RunAsync("-ca", server.CaPath, "-n", "10", "-parallel", "5", url + "/bytes/100000");
        Assert.True(downloads.ExitCode == 0, downloads.ToString());
        Assert.Equal(Enumerable.Repeat(Line(DeterministicBytes.ForLength(100_000)), 50), Lines(downloads));

        var upload = await QuicGoClient.RunAsync("-ca", server.CaPath, "-n", "5", "-upload", "300000", url + "/echo");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        var lines = Lines(upload);
        var sent = lines[0].Split(' ');
        Assert.Equal(Enumerable.Repeat($"200 {sent[1]} {sent[2]}", 5), lines.Skip(1));
        Assert.True(relay.Dropped > 0, "the relay dropped nothing: no retransmission was tested");
    }

    private string Url(string host, string path) => $"https://{host}:{server.Port}{path}";

    private static string Line(byte[] body) => $"200 {body.Length} {Convert.ToHexStringLower(SHA256.HashData(body))}";

    private static List<string> Lines(ProcessResult result) =>
        result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
}
