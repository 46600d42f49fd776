using System.Text;
using System.Text.Json;

namespace Hxi.Interop.Tests;

/// <summary>qlog of a real HTTP/3 exchange with Caddy (quic-go): the .sqlog hxi writes parses and tells the whole story.</summary>
[Collection(CaddyCollection.Name)]
public sealed class QlogCaddyTests(CaddyFixture caddy)
{
    [RequiresPeerFact("caddy")]
    public async Task QlogOption_WritesOneSqlog_WithPacketsOfEverySpaceAndMetrics()
    {
        var directory = Directory.CreateTempSubdirectory("hxi-qlog-").FullName;
        try
        {
            var result = await HxiRunner.RunAsync(
                ["--http3-only", "--cacert", caddy.CaPath, "--qlog", directory, caddy.Https("/json")], TimeSpan.FromSeconds(30));
            Assert.True(result.ExitCode == 0, result.ToString());

            var file = Assert.Single(Directory.GetFiles(directory));
            Assert.Matches("^[0-9a-f]{16,40}_client\\.sqlog$", Path.GetFileName(file));
            var records = ReadJsonSeq(file);
            Assert.Equal("0.3", records[0].GetProperty("qlog_version").GetString());
            Assert.Equal("JSON-SEQ", records[0].GetProperty("qlog_format").GetString());
            var odcid = records[0].GetProperty("trace").GetProperty("common_fields").GetProperty("ODCID").GetString();
            Assert.Equal($"{odcid}_client.sqlog", Path.GetFileName(file));

            var events = records.Skip(1).ToList();
            var seen = events
                .Where(e => e.GetProperty("data").TryGetProperty("header", out _))
                .Select(e => (e.GetProperty("name").GetString(), e.GetProperty("data").GetProperty("header").GetProperty("packet_type").GetString()))
                .ToHashSet();
            foreach (var type in new[] { "initial", "handshake", "1RTT" })
            {
                Assert.Contains(("transport:packet_sent", type), seen);
                Assert.Contains(("transport:packet_received", type), seen);
            }

            var metrics = events.First(e => e.GetProperty("name").GetString() == "recovery:metrics_updated").GetProperty("data");
            Assert.True(metrics.GetProperty("smoothed_rtt").GetDouble() > 0);
            Assert.True(metrics.GetProperty("congestion_window").GetInt64() > 0);
            Assert.Contains(events, e => FrameTypes(e).Contains("handshake_done"));
            Assert.Contains(events, e => FrameTypes(e).Contains("stream"));
            var times = events.Select(e => e.GetProperty("time").GetDouble()).ToList();
            Assert.Equal(times.Order(), times);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [RequiresPeerFact("caddy")]
    public async Task QlogDirVariable_TurnsQlogOn()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"hxi-qlogdir-{Guid.NewGuid():N}");
        try
        {
            var result = await HxiRunner.RunAsync(
                ["--http3-only", "--cacert", caddy.CaPath, caddy.Https("/")],
                TimeSpan.FromSeconds(30),
                new Dictionary<string, string> { ["QLOGDIR"] = directory });
            Assert.True(result.ExitCode == 0, result.ToString());

            var file = Assert.Single(Directory.GetFiles(directory, "*.sqlog"));
            Assert.Contains(ReadJsonSeq(file), r => r.TryGetProperty("name", out var name) && name.GetString() == "transport:packet_received");
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>RFC 7464: records start with RS (0x1E); each must be one whole JSON text.</summary>
    private static List<JsonElement> ReadJsonSeq(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        Assert.StartsWith("\x1e", text);
        return [.. text.Split('\x1e', StringSplitOptions.RemoveEmptyEntries).Select(part => JsonDocument.Parse(part).RootElement.Clone())];
    }

    private static IEnumerable<string?> FrameTypes(JsonElement e) =>
        e.GetProperty("data").TryGetProperty("frames", out var frames)
            ? frames.EnumerateArray().Select(f => f.GetProperty("frame_type").GetString())
            : [];
}
