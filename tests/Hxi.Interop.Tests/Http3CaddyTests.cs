using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Hxi.Interop.Tests;

/// <summary>
/// hxi over its own QUIC and HTTP/3 against Caddy (quic-go), with --http3-only so a silent fallback to TCP
/// can never pass a test: the HTTP/2 tests of <see cref="HxiCaddyTests"/>, over h3. Each hxi run is a process,
/// so one run checks everything it can show.
/// </summary>
[Collection(CaddyCollection.Name)]
[Trait("Category", "Interop")]
public sealed partial class Http3CaddyTests(CaddyFixture caddy)
{
    private const string Json = "{\"proto\":\"HTTP/3.0\",\"method\":\"GET\"}";

    private Task<ProcessResult> Hxi(params string[] arguments) => HxiRunner.RunAsync(["--cacert", caddy.CaPath, "--http3-only", .. arguments]);

    private static void AssertExit(int expected, ProcessResult result) =>
        Assert.True(result.ExitCode == expected, $"expected exit {expected}\n{result}");

    [RequiresPeerFact("caddy")]
    public async Task Json_SaysHttp3_AndVerboseTellsHowItGotThere()
    {
        var result = await Hxi("-i", "-v", caddy.Https("/json"));

        AssertExit(0, result);
        Assert.StartsWith("HTTP/3 200\n", result.StdOut);
        Assert.Contains("content-type: application/json\n", result.StdOut);
        Assert.EndsWith(Json, result.StdOut);
        Assert.Matches(@"\* connected to localhost \(127\.0\.0\.1:\d+\) from 127\.0\.0\.1:\d+ over QUIC \(UDP\) in [\d.]+ ms\n", result.StdErr);
        Assert.Contains("* TLS TLSv1.3 inside QUIC, cipher TLS_", result.StdErr);
        Assert.Contains("* ALPN offered h3; server chose h3\n", result.StdErr);
        Assert.Contains("* using HTTP/3\n", result.StdErr);
        Assert.Contains("> :path: /json\n", result.StdErr);
        Assert.Contains("> (HTTP/3 stream 0)\n", result.StdErr);
    }

    [RequiresPeerFact("caddy")]
    public async Task SmallFile_Arrives_AndSslKeyLogFileGetsTheQuicSecrets()
    {
        var keyLog = Path.Combine(Path.GetTempPath(), $"hxi-h3-keys-{Guid.NewGuid():N}.log");
        try
        {
            var result = await HxiRunner.RunAsync(
                ["--cacert", caddy.CaPath, "--http3-only", caddy.Https("/files/small.txt")],
                TimeSpan.FromSeconds(30),
                new Dictionary<string, string> { ["SSLKEYLOGFILE"] = keyLog });

            AssertExit(0, result);
            Assert.Equal(PeerFiles.SmallTextContent, result.StdOut);
            var lines = File.ReadAllLines(keyLog);
            Assert.Superset(
                new HashSet<string> { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0" },
                lines.Select(line => line.Split(' ')[0]).ToHashSet());
            // NSS key log format: LABEL <64 hex client random> <hex secret>; one client random for the one handshake.
            Assert.All(lines, line => Assert.Matches("^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64,96}$", line));
            Assert.Single(lines.Select(line => line.Split(' ')[1]).Distinct());
        }
        finally
        {
            File.Delete(keyLog);
        }
    }

    [RequiresPeerFact("caddy")]
    public async Task Headers_FromOptionsAndItems_ReachTheServer()
    {
        var result = await Hxi("-H", "X-From-Option: 1", caddy.Https("/headers"), "X-From-Item:2");

        AssertExit(0, result);
        Assert.Contains("X-From-Option: 1\n", result.StdOut);
        Assert.Contains("X-From-Item: 2\n", result.StdOut);
    }

    [RequiresPeerTheory("caddy")]
    [InlineData("-d", "hello from hxi over h3")]
    [InlineData("--json", "{\"a\": [1, 2]}")]
    public async Task PostEcho_SendsTheBody(string option, string body)
    {
        var result = await Hxi(option, body, caddy.Https("/echo"));

        AssertExit(0, result);
        Assert.Equal(body, result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task Status103_IsShownAsAnInterimResponse_ThenThe200()
    {
        var result = await Hxi("-i", caddy.Https("/status/103"));

        AssertExit(0, result);
        Assert.StartsWith("HTTP/3 103\n", result.StdOut);
        Assert.Contains("\nHTTP/3 200\n", result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task FollowRedirects_ShowsTheRedirectThenTheTarget()
    {
        var result = await Hxi("-i", "-L", caddy.Https("/redirect"));

        AssertExit(0, result);
        Assert.StartsWith("HTTP/3 302\n", result.StdOut);
        Assert.Contains("location: /json\n", result.StdOut);
        Assert.Contains("\nHTTP/3 200\n", result.StdOut);
        Assert.EndsWith(Json, result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task BigHeaderBlock_ArrivesWhole_InOneHeadersFrame()
    {
        var result = await Hxi("-i", "--frames", caddy.Https("/big"));

        AssertExit(0, result);
        // HTTP/3 has no CONTINUATION: the whole 40 KB field section is one HEADERS frame.
        Assert.Matches(@"recv HEADERS frame <length=\d{5,}, stream_id=0>", result.StdErr);
        for (var number = 1; number <= CaddyConfig.BigHeaderCount; number++)
        {
            Assert.Contains($"\n{CaddyConfig.BigHeaderName(number).ToLowerInvariant()}: {CaddyConfig.BigHeaderValue(number)}\n", result.StdOut);
        }

        Assert.EndsWith("\n\nbig", result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task Compressed_DecodesGzip()
    {
        var result = await Hxi("-i", "--compressed", caddy.Https("/gzip"));

        AssertExit(0, result);
        Assert.StartsWith("HTTP/3 200\n", result.StdOut);
        Assert.Contains("content-encoding: gzip\n", result.StdOut);
        Assert.EndsWith("\n\n" + CaddyConfig.GzipText, result.StdOut);
    }

    [RequiresPeerFact("caddy")]
    public async Task Frames_ShowTheStreamsAndFrames_WithStreamIds_AndTheDecodedFields()
    {
        var result = await Hxi("--frames", caddy.Https("/json"));

        AssertExit(0, result);
        Assert.Equal(Json, result.StdOut);
        var wire = result.StdErr;
        // Client-initiated unidirectional streams are 2, 6, 10: control first, then the QPACK encoder and decoder.
        Assert.Contains("send stream 2 opened as control (type 0x0)\n", wire);
        Assert.Matches(@"send SETTINGS frame <length=\d+, stream_id=2>\n +\[SETTINGS_QPACK_MAX_TABLE_CAPACITY=4096\]", wire);
        Assert.Contains("send stream 6 opened as QPACK encoder (type 0x2)\n", wire);
        Assert.Contains("send stream 10 opened as QPACK decoder (type 0x3)\n", wire);
        Assert.Contains("recv stream 3 opened as control (type 0x0)\n", wire);
        Assert.Matches(@"recv SETTINGS frame <length=\d+, stream_id=3>", wire);
        Assert.Matches(@"send HEADERS frame <length=\d+, stream_id=0>", wire);
        Assert.Matches(@"recv HEADERS frame <length=\d+, stream_id=0>", wire);
        Assert.Matches(@"recv DATA frame <length=35, stream_id=0>", wire);
        Assert.Matches(@"\n +:path: /json\n", wire);
        Assert.Matches(@"\n +:status: 200\n", wire);
        Assert.Matches(@"\n +content-type: application/json\n", wire);
        // --frames alone is the HTTP/3 layer: no QUIC packets, no QPACK representations.
        Assert.DoesNotContain("Initial packet", wire);
        Assert.DoesNotContain("IndexedStatic", wire);
    }

    [RequiresPeerFact("caddy")]
    public async Task QpackAndQuic_ShowRepresentations_PacketsAndTlsMessages()
    {
        var result = await Hxi("--qpack", "--quic", caddy.Https("/json"));

        AssertExit(0, result);
        Assert.Equal(Json, result.StdOut);
        var wire = result.StdErr;
        // QPACK: each field line with its representation, and the section prefix.
        Assert.Contains("indexed field 17 (static): :method: GET", wire);
        Assert.Matches(@"literal, name 1 \(static\), value literal( \(Huffman\))?: :path: /json", wire);
        Assert.Contains("indexed field 25 (static): :status: 200", wire);
        Assert.Contains("; QPACK prefix: Required Insert Count ", wire);
        // QUIC: the three packet types carrying the handshake, then the application's.
        Assert.Matches(@"send UDP datagram of 1[2-4]\d\d bytes", wire);
        Assert.Matches(@"send Initial packet <length=\d+, pn=0, version=v1, dcid=[0-9a-f]+, scid=[0-9a-f]+>\n +CRYPTO offset=0", wire);
        Assert.Matches(@"recv Initial packet <length=\d+, pn=0, version=v1", wire);
        Assert.Matches(@"recv Handshake packet <length=\d+, pn=0", wire);
        Assert.Matches(@"send Handshake packet <length=\d+, pn=0", wire);
        Assert.Matches(@"recv 1-RTT packet <length=\d+, pn=\d+, dcid=[0-9a-f]+, key_phase=0>", wire);
        Assert.Matches(@"send 1-RTT packet <length=\d+, pn=\d+, dcid=[0-9a-f]+, key_phase=0>", wire);
        Assert.Contains("HANDSHAKE_DONE", wire);
        Assert.Matches(@"STREAM id=0 ", wire);
        // TLS 1.3 inside CRYPTO frames, in handshake order.
        var order = new[] { "send TLS ClientHello", "recv TLS ServerHello", "recv TLS EncryptedExtensions", "recv TLS Certificate ", "recv TLS CertificateVerify", "recv TLS Finished", "send TLS Finished" }
            .Select(message => wire.IndexOf(message, StringComparison.Ordinal))
            .ToArray();
        Assert.All(order, index => Assert.True(index >= 0, wire));
        Assert.Equal(order.Order(), order);
        Assert.Contains("alpn: h3", wire);
        Assert.Contains("quic_transport_parameters:", wire);
    }

    [RequiresPeerFact("caddy")]
    public async Task Quic_OurNewConnectionIds_GoOut_CaddyMayUseThem_AndTheCloseIsClean()
    {
        var result = await Hxi("--quic", caddy.Https("/json"));

        AssertExit(0, result);
        Assert.Equal(Json, result.StdOut);
        var frames = QuicFrameLines(result.StdErr);
        var ours = new HashSet<string> { Regex.Match(result.StdErr, @"send Initial packet <[^>]*scid=(?<id>[0-9a-f]+)>").Groups["id"].Value };
        var issued = frames.Where(f => f.Direction == "send").Select(f => NewConnectionId().Match(f.Frame)).Where(m => m.Success).ToList();
        // Sequences 1..3 after the handshake: Caddy's active_connection_id_limit is at least 4, and we cap at 4.
        Assert.Equal(["1", "2", "3"], issued.Select(m => m.Groups["seq"].Value).Take(3));
        Assert.All(issued, m => Assert.Equal(16, m.Groups["cid"].Length));
        ours.UnionWith(issued.Select(m => m.Groups["cid"].Value));
        // quic-go moves to one of our new IDs straight away and retires the handshake one: each retirement gets a replacement.
        var retiredByCaddy = frames.Count(f => f.Direction == "recv" && f.Frame.StartsWith("RETIRE_CONNECTION_ID", StringComparison.Ordinal));
        Assert.Equal(3 + retiredByCaddy, issued.Count);
        Assert.All(Regex.Matches(result.StdErr, @"recv 1-RTT packet <[^>]*dcid=(?<id>[0-9a-f]+)").Select(m => m.Groups["id"].Value),
            id => Assert.Contains(id, ours));
        // Caddy raised no error; we ended with H3_NO_ERROR.
        Assert.DoesNotContain(frames, f => f.Direction == "recv" && f.Frame.StartsWith("CONNECTION_CLOSE", StringComparison.Ordinal));
        Assert.Contains(frames, f => f.Direction == "send" && f.Frame.StartsWith("CONNECTION_CLOSE application error=H3_NO_ERROR (0x100)", StringComparison.Ordinal));
    }

    /// <summary>The frame lines of --quic output, each with the direction of the packet it sits under.</summary>
    private static List<(string Direction, string Frame)> QuicFrameLines(string wire)
    {
        var frames = new List<(string, string)>();
        string? direction = null;
        foreach (var line in wire.Split('\n'))
        {
            var packet = Regex.Match(line, @"\] (?<dir>send|recv) [\w-]+ packet <");
            if (packet.Success)
            {
                direction = packet.Groups["dir"].Value;
            }
            else if (line.StartsWith("[", StringComparison.Ordinal))
            {
                direction = null;
            }
            else if (direction is not null && line.StartsWith("    ", StringComparison.Ordinal))
            {
                frames.Add((direction, line.Trim()));
            }
        }

        return frames;
    }

    [GeneratedRegex(@"^NEW_CONNECTION_ID sequence=(?<seq>\d+) retire_prior_to=0 cid=(?<cid>[0-9a-f]+) reset_token=[0-9a-f]{32}$")]
    private static partial Regex NewConnectionId();

    [RequiresPeerFact("caddy")]
    public Task Download100Mb_ToAFile_HasTheRightSha256() => CaddyDownloads.ToAFileAsync(caddy, ["--http3-only"], TimeSpan.FromSeconds(90));

    [RequiresPeerFact("caddy")]
    public Task Download10Mb_PipedToStdout_HasTheRightSha256() => CaddyDownloads.PipedToStdoutAsync(caddy, ["--http3-only"]);
}
