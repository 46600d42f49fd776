using System.Text.Json;
using Hxi.Cli.Tests.Trace;

namespace Hxi.Interop.Tests;

/// <summary>
/// --trace and --har from real exchanges with the embedded server over HTTP/1.1, HTTP/2, h2c and HTTP/3: every trace line
/// valid against docs/trace.schema.json with no .NET type name in it, every HAR file valid against the HAR 1.2 schema.
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
[Trait("Category", "Interop")]
public sealed class TraceAndHarTests(EmbeddedServerFixture server)
{
    public static TheoryData<string> Protocols => ["http1", "h2", "h2c", "h3"];

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task TraceLines_MatchTheSchema_AndHarIsHar12(string protocol)
    {
        var (arguments, url, layers) = protocol switch
        {
            "http1" => (new[] { "-d", "a=1&b=two" }, new Uri(server.Server.HttpUri, "/echo?x=1").ToString(), new[] { "connection", "http1" }),
            "h2" => (["--http2"], server.Https("/json"), ["connection", "http2", "hpack"]),
            "h2c" => (["--http2-prior-knowledge"], server.H2c("/json"), ["connection", "http2", "hpack"]),
            _ => (["--http3-only"], server.Https("/json"), new[] { "connection", "tls", "quic", "http3", "qpack" }),
        };
        using var files = new TempFiles();
        var result = await HxiRunner.RunAsync(["--cacert", server.CaPath, "--trace", files.Trace, "--har", files.Har, .. arguments, url]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = JsonSchemas.AssertValidTrace(File.ReadAllLines(files.Trace), $"{protocol} trace");
        Assert.Equal(layers.Order(), lines.Select(l => l.GetProperty("layer").GetString()!).Distinct().Order());
        // One connection, numbered from the first record on (a QUIC connection from its first Initial, before the handshake ends).
        Assert.All(lines, l => Assert.Equal(1, l.GetProperty("conn").GetInt32()));
        var times = lines.Select(l => l.GetProperty("t").GetDouble()).ToList();
        Assert.Equal(times.Order(), times);
        AssertLayerDetails(protocol, lines);

        var har = AssertValidHar(files.Har);
        var entry = Assert.Single(har.GetProperty("log").GetProperty("entries").EnumerateArray());
        var expectedVersion = protocol switch { "http1" => "HTTP/1.1", "h3" => "HTTP/3", _ => "HTTP/2" };
        Assert.Equal(expectedVersion, entry.GetProperty("request").GetProperty("httpVersion").GetString());
        Assert.Equal(expectedVersion, entry.GetProperty("response").GetProperty("httpVersion").GetString());
        Assert.Equal(200, entry.GetProperty("response").GetProperty("status").GetInt32());
        Assert.Equal(url, entry.GetProperty("request").GetProperty("url").GetString());
        if (protocol == "http1")
        {
            var request = entry.GetProperty("request");
            Assert.Equal("a=1&b=two", request.GetProperty("postData").GetProperty("text").GetString());
            Assert.Equal("application/x-www-form-urlencoded", request.GetProperty("postData").GetProperty("mimeType").GetString());
            Assert.Contains(request.GetProperty("queryString").EnumerateArray(), q => q.GetProperty("name").GetString() == "x" && q.GetProperty("value").GetString() == "1");
            // The echo answers with the body it got.
            Assert.Equal("a=1&b=two", entry.GetProperty("response").GetProperty("content").GetProperty("text").GetString());
            Assert.True(request.GetProperty("headersSize").GetInt32() > 0);
        }
        else
        {
            Assert.Contains("\"proto\"", entry.GetProperty("response").GetProperty("content").GetProperty("text").GetString());
            // The request's fields as they went out, pseudo-header fields included, as devtools show them.
            Assert.Contains(entry.GetProperty("request").GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == ":path");
        }

        // A new connection: its DNS, connect and TLS phases are there (TLS only over https), and "time" is their sum.
        var timings = entry.GetProperty("timings");
        Assert.True(timings.GetProperty("connect").GetDouble() >= 0);
        Assert.Equal(protocol is "http1" or "h2c", timings.GetProperty("ssl").GetDouble() < 0);
        var sum = new[] { "blocked", "dns", "connect", "send", "wait", "receive" }.Select(p => timings.GetProperty(p).GetDouble()).Where(t => t >= 0).Sum();
        Assert.Equal(sum, entry.GetProperty("time").GetDouble(), 2);
        Assert.Equal("127.0.0.1", entry.GetProperty("serverIPAddress").GetString());
    }

    [Fact]
    public async Task Redirects_FollowedWithL_AreOneHarEntryEach_OnOneConnection()
    {
        using var files = new TempFiles();
        var result = await HxiRunner.RunAsync(["--cacert", server.CaPath, "-L", "--trace", files.Trace, "--har", files.Har, server.Https("/redirect/2")]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var entries = AssertValidHar(files.Har).GetProperty("log").GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["/redirect/2", "/redirect/1", "/json"], entries.Select(e => new Uri(e.GetProperty("request").GetProperty("url").GetString()!).AbsolutePath));
        Assert.Equal([302, 302, 200], entries.Select(e => e.GetProperty("response").GetProperty("status").GetInt32()));
        Assert.Equal("/redirect/1", entries[0].GetProperty("response").GetProperty("redirectURL").GetString());
        // The later requests reuse the connection: no DNS, connect or TLS of their own, and the same connection id.
        Assert.All(entries.Skip(1), e => Assert.Equal(-1, e.GetProperty("timings").GetProperty("connect").GetDouble()));
        Assert.Single(entries.Select(e => e.GetProperty("connection").GetString()).Distinct());

        var lines = JsonSchemas.AssertValidTrace(File.ReadAllLines(files.Trace), "redirect trace");
        Assert.All(lines, l => Assert.Equal(1, l.GetProperty("conn").GetInt32()));
        Assert.Equal([1, 3, 5], lines.Where(l => l.GetProperty("type").GetString() == "header_block" && l.GetProperty("dir").GetString() == "send")
            .Select(l => l.GetProperty("stream").GetInt32()));
        Assert.Contains(lines, l => l.GetProperty("type").GetString() == "note" && l.GetProperty("message").GetString()!.StartsWith("reusing", StringComparison.Ordinal));
    }

    private static void AssertLayerDetails(string protocol, IReadOnlyList<JsonElement> lines)
    {
        // Over TCP the connection is reported before its first byte; a QUIC connection once its handshake is done.
        var connected = lines.Single(l => l.GetProperty("type").GetString() == "connected");
        Assert.Equal(protocol == "h3" ? "tls" : "connection", lines[0].GetProperty("layer").GetString());
        Assert.Equal(protocol is "h2" or "h3" ? protocol : null, connected.TryGetProperty("protocol", out var chosen) ? chosen.GetString() : null);
        switch (protocol)
        {
            case "http1":
                var head = lines.Single(l => l.GetProperty("type").GetString() == "request_head");
                Assert.Equal("POST", head.GetProperty("method").GetString());
                Assert.Equal("/echo?x=1", head.GetProperty("target").GetString());
                Assert.Contains(head.GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "Content-Length" && h.GetProperty("value").GetString() == "9");
                Assert.Equal(200, lines.Single(l => l.GetProperty("type").GetString() == "response_head").GetProperty("status").GetInt32());
                break;
            case "h2" or "h2c":
                var settings = lines.First(l => l.GetProperty("type").GetString() == "SETTINGS" && l.GetProperty("dir").GetString() == "send");
                Assert.Contains(settings.GetProperty("settings").EnumerateArray(), s => s.GetProperty("name").GetString() == "SETTINGS_ENABLE_PUSH" && s.GetProperty("value").GetInt32() == 0);
                var block = lines.First(l => l.GetProperty("type").GetString() == "header_block" && l.GetProperty("dir").GetString() == "recv");
                Assert.Equal(1, block.GetProperty("stream").GetInt32());
                Assert.Contains(block.GetProperty("fields").EnumerateArray(), f => f.GetProperty("name").GetString() == ":status" && f.GetProperty("value").GetString() == "200");
                Assert.All(block.GetProperty("representations").EnumerateArray(), r => Assert.True(r.GetProperty("hex").GetString()!.Length > 0));
                break;
            default:
                var packets = lines.Where(l => l.GetProperty("type").GetString() == "packet").ToList();
                Assert.Contains(packets, p => p.GetProperty("packet_type").GetString() == "Initial" && p.GetProperty("version").GetString() == "v1");
                Assert.Contains(packets, p => p.GetProperty("packet_type").GetString() == "1-RTT" && p.TryGetProperty("key_phase", out _));
                var frames = packets.SelectMany(p => p.GetProperty("frames").EnumerateArray()).ToList();
                Assert.Contains(frames, f => f.GetProperty("frame_type").GetString() == "CRYPTO");
                Assert.Contains(frames, f => f.GetProperty("frame_type").GetString() == "STREAM");
                Assert.Contains(frames, f => f.GetProperty("frame_type").GetString() == "HANDSHAKE_DONE");
                // ACK Delay in microseconds: the raw field shifted by the sender's exponent.
                Assert.All(frames.Where(f => f.GetProperty("frame_type").GetString() == "ACK"), ack =>
                    Assert.Equal(ack.GetProperty("ack_delay").GetUInt64() << ack.GetProperty("ack_delay_exponent").GetInt32(), ack.GetProperty("delay_us").GetUInt64()));
                Assert.Equal(
                    ["client_hello", "server_hello", "encrypted_extensions", "certificate", "certificate_verify", "finished", "finished"],
                    lines.Where(l => l.GetProperty("layer").GetString() == "tls").Select(l => l.GetProperty("type").GetString()).Take(7));
                Assert.Contains(lines, l => l.GetProperty("type").GetString() == "stream_type" && l.GetProperty("stream_type").GetString() == "control");
                Assert.Contains(lines, l => l.GetProperty("layer").GetString() == "http3" && l.GetProperty("type").GetString() == "HEADERS" && l.GetProperty("stream").GetInt32() == 0);
                Assert.Contains(lines, l => l.GetProperty("type").GetString() == "field_section" && l.GetProperty("dir").GetString() == "recv");
                break;
        }
    }

    private static JsonElement AssertValidHar(string path)
    {
        var text = File.ReadAllText(path);
        foreach (var marker in new[] { "System.", "`1" })
        {
            Assert.False(text.Contains(marker, StringComparison.Ordinal), $"the HAR file holds '{marker}': {text}");
        }

        using var document = JsonDocument.Parse(text);
        var problems = JsonSchemas.Problems(JsonSchemas.Har, document.RootElement);
        Assert.True(problems.Count == 0, $"{path} is not HAR 1.2:\n{string.Join("\n", problems.Take(12))}\n{text}");
        var log = document.RootElement.GetProperty("log");
        Assert.Equal("1.2", log.GetProperty("version").GetString());
        Assert.Equal("hxi", log.GetProperty("creator").GetProperty("name").GetString());
        return document.RootElement.Clone();
    }

    private sealed class TempFiles : IDisposable
    {
        private readonly string _stem = Path.Combine(Path.GetTempPath(), $"hxi-trace-har-{Guid.NewGuid():N}");

        public string Trace => _stem + ".jsonl";

        public string Har => _stem + ".har";

        public void Dispose()
        {
            File.Delete(Trace);
            File.Delete(Har);
        }
    }
}
