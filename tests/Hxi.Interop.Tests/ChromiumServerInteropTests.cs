using System.Net;
using System.Security.Cryptography;
using Hxi.Net.Tests;
using Hxi.Server;

namespace Hxi.Interop.Tests;

/// <summary>
/// hxi serve's HTTP/3 against Chromium (headless, QUIC forced on the origin, the server key pinned by SPKI since
/// Chromium ignores --ignore-certificate-errors for QUIC), on localhost (which Chromium tries as ::1 first) and
/// 127.0.0.1. The page's own fetches make the requests (<see cref="ChromiumPage"/>); each carries a unique query, so
/// the server's log lines for it prove they came over HTTP/3, and the page reports status, length and SHA-256 of
/// every body it got.
/// </summary>
[Collection(Http3PeerServerCollection.Name)]
[Trait("Category", "Interop")]
public sealed class ChromiumServerInteropTests(Http3PeerServerFixture server)
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    /// <summary>hex(SHA-256) of an ArrayBuffer, and "status length sha256" of a response, in the page.</summary>
    private const string Helpers = """
        const hex = async bytes => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map(b => b.toString(16).padStart(2, '0')).join('');
        const line = async response => { const body = await response.arrayBuffer(); return `${response.status} ${body.byteLength} ${await hex(body)}`; };
        const get = path => fetch(path, { cache: 'no-store' }).then(line);
        const upload = async (path, length) => {
            const body = new Uint8Array(length);
            for (let offset = 0; offset < length; offset += 65536) crypto.getRandomValues(body.subarray(offset, offset + 65536));
            const echoed = await fetch(path, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' }, cache: 'no-store' }).then(line);
            return `${await hex(body)} ${echoed}`;
        };
        """;

    [RequiresPeerTheory("chromium")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Json_IsFetchedOverHttp3(string host)
    {
        var marker = $"/json?chromium={Guid.NewGuid():N}";
        await using var page = await ChromiumPage.OpenAsync($"{host}:{server.Port}", server.ServerSpki, marker);

        var body = await page.EvaluateAsync("document.body.innerText", ScriptTimeout);

        Assert.Contains("\"proto\":\"HTTP/3\"", body.Replace(" ", "", StringComparison.Ordinal));
        Assert.Contains(server.Log.Lines, line => line.StartsWith($"HTTP/3 GET {marker} -> 200", StringComparison.Ordinal));
    }

    [RequiresPeerTheory("chromium")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task ManySequentialRequests_AllSucceed(string host)
    {
        var run = Guid.NewGuid().ToString("N");
        await using var page = await ChromiumPage.OpenAsync($"{host}:{server.Port}", server.ServerSpki, "/json");

        var lines = await EvaluateLinesAsync(page, $$"""
            const out = [];
            for (let i = 0; i < 30; i++) out.push(await get(`/bytes/1234?run={{run}}&i=${i}`));
            return out;
            """);

        Assert.Equal(Enumerable.Repeat(Line(DeterministicBytes.ForLength(1234)), 30), lines);
        AssertServedOverHttp3($"GET /bytes/1234?run={run}&", 30);
    }

    [RequiresPeerTheory("chromium")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task FiftyStreamsAtOnce_AllSucceed(string host)
    {
        var run = Guid.NewGuid().ToString("N");
        await using var page = await ChromiumPage.OpenAsync($"{host}:{server.Port}", server.ServerSpki, "/json");

        var lines = await EvaluateLinesAsync(page, $$"""
            return await Promise.all([...Array(50).keys()].map(i => get(`/bytes/20000?run={{run}}&i=${i}`)));
            """);

        Assert.Equal(Enumerable.Repeat(Line(DeterministicBytes.ForLength(20_000)), 50), lines);
        AssertServedOverHttp3($"GET /bytes/20000?run={run}&", 50);
    }

    [RequiresPeerTheory("chromium")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task TenMegabyteDownloadAndUpload_MatchTheirSha256(string host)
    {
        var run = Guid.NewGuid().ToString("N");
        await using var page = await ChromiumPage.OpenAsync($"{host}:{server.Port}", server.ServerSpki, "/json");

        var lines = await EvaluateLinesAsync(page, $$"""
            return [await get('/bytes/{{TenMegabytes}}?run={{run}}'), await upload('/echo?run={{run}}', {{TenMegabytes}})];
            """);

        Assert.Equal(2, lines.Count);
        Assert.Equal(Line(DeterministicBytes.ForLength(TenMegabytes)), lines[0]);
        // The page hashed what it sent and what came back: the echo must be the same 10 MB.
        var sent = lines[1].Split(' ');
        Assert.Equal($"{sent[0]} 200 {TenMegabytes} {sent[0]}", lines[1]);
        AssertServedOverHttp3($"GET /bytes/{TenMegabytes}?run={run}", 1);
        AssertServedOverHttp3($"POST /echo?run={run}", 1);
    }

    [RequiresPeerFact("chromium")]
    public async Task RequestsThroughALossyLink_AreRetransmittedAndServed()
    {
        // 5% of datagrams lost each way (seeded), so Chromium's requests and the server's responses and ACKs are resent.
        var lossy = new LinkConditions { Loss = 0.05 };
        await using var relay = new UdpRelay(new IPEndPoint(IPAddress.Loopback, server.Port), lossy, lossy, seed: 11);
        var run = Guid.NewGuid().ToString("N");
        await using var page = await ChromiumPage.OpenAsync($"127.0.0.1:{relay.EndPoint.Port}", server.ServerSpki, "/json");

        var lines = await EvaluateLinesAsync(page, $$"""
            const out = [];
            for (let i = 0; i < 10; i++) out.push(await get(`/bytes/100000?run={{run}}&i=${i}`));
            out.push(await upload('/echo?run={{run}}', 300000));
            return out;
            """);

        Assert.Equal(Enumerable.Repeat(Line(DeterministicBytes.ForLength(100_000)), 10), lines.Take(10));
        var sent = lines[10].Split(' ');
        Assert.Equal($"{sent[0]} 200 300000 {sent[0]}", lines[10]);
        AssertServedOverHttp3($"GET /bytes/100000?run={run}&", 10);
        Assert.True(relay.Dropped > 0, "the relay dropped nothing: no retransmission was tested");
    }

    /// <summary>Runs <paramref name="body"/> (an async function body returning an array of strings) in the page.</summary>
    private static async Task<List<string>> EvaluateLinesAsync(ChromiumPage page, string body)
    {
        var result = await page.EvaluateAsync($"(async () => {{ {Helpers}\n{body}\n }})().then(lines => lines.join('\\n'))", ScriptTimeout);
        return [.. result.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The server logged <paramref name="count"/> HTTP/3 requests starting with <paramref name="request"/>, each answered 200.</summary>
    private void AssertServedOverHttp3(string request, int count)
    {
        var served = server.Log.Lines.Where(line => line.Contains(request, StringComparison.Ordinal)).ToList();
        Assert.Equal(count, served.Count);
        Assert.All(served, line => Assert.StartsWith($"HTTP/3 {request}", line, StringComparison.Ordinal));
        Assert.All(served, line => Assert.Contains(" -> 200 ", line, StringComparison.Ordinal));
    }

    private static string Line(byte[] body) => $"{(int)HttpStatusCode.OK} {body.Length} {Convert.ToHexStringLower(SHA256.HashData(body))}";
}
