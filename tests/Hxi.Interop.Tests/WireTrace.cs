using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hxi.Interop.Tests;

/// <summary>One HTTP/2 frame as a client reported it: type name, stream and payload length.</summary>
public sealed record FrameSummary(string Direction, string Type, int Stream, int Length, int Flags)
{
    public override string ToString() => $"{Direction} {Type} stream={Stream} length={Length} flags=0x{Flags:x2}";
}

/// <summary>Reads hxi's --trace JSON lines, every line parsed with System.Text.Json.</summary>
public static partial class WireTrace
{
    /// <summary>Every line of the trace file as a JSON document; a line that isn't one object fails the test.</summary>
    public static IReadOnlyList<JsonElement> ReadLines(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.NotEmpty(lines);
        return lines.Select((line, index) =>
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
                return document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new Xunit.Sdk.XunitException($"{path} line {index + 1} is not JSON ({ex.Message}): {line}");
            }
        }).ToList();
    }

    /// <summary>The http2-layer frames of a trace (the preface and HPACK records left out).</summary>
    public static IReadOnlyList<FrameSummary> Frames(IEnumerable<JsonElement> lines) =>
        lines.Where(l => l.GetProperty("layer").GetString() == "http2" && l.TryGetProperty("length", out _))
            .Select(l => new FrameSummary(
                l.GetProperty("dir").GetString()!,
                l.GetProperty("type").GetString()!,
                l.GetProperty("stream").GetInt32(),
                l.GetProperty("length").GetInt32(),
                l.GetProperty("flags").GetInt32()))
            .ToList();

    /// <summary>The header fields of the first received HPACK block on <paramref name="stream"/>.</summary>
    public static IReadOnlyList<(string Name, string Value)> ReceivedHeaders(IEnumerable<JsonElement> lines, int stream) =>
        lines.First(l => l.GetProperty("layer").GetString() == "hpack" && l.GetProperty("dir").GetString() == "recv"
                && l.GetProperty("stream").GetInt32() == stream)
            .GetProperty("fields").EnumerateArray()
            .Select(f => (f.GetProperty("name").GetString()!, f.GetProperty("value").GetString()!))
            .ToList();

    /// <summary>Frames from `nghttp -nv` output: "[  0.001] recv SETTINGS frame &lt;length=6, flags=0x00, stream_id=0&gt;".</summary>
    public static IReadOnlyList<FrameSummary> ParseNghttp(string output) =>
        NghttpFrameLine().Matches(output)
            .Select(m => new FrameSummary(
                m.Groups["dir"].Value,
                m.Groups["type"].Value,
                int.Parse(m.Groups["stream"].Value),
                int.Parse(m.Groups["length"].Value),
                Convert.ToInt32(m.Groups["flags"].Value, 16)))
            .ToList();

    /// <summary>Header fields nghttp printed as received: "[  0.001] recv (stream_id=1) name: value".</summary>
    public static IReadOnlyList<(string Name, string Value)> ParseNghttpHeaders(string output, int stream) =>
        NghttpHeaderLine().Matches(output)
            .Where(m => int.Parse(m.Groups["stream"].Value) == stream)
            .Select(m => (m.Groups["name"].Value, m.Groups["value"].Value.TrimEnd('\r')))
            .ToList();

    [GeneratedRegex(@"\] (?<dir>send|recv) (?<type>[A-Z_]+) frame <length=(?<length>\d+), flags=0x(?<flags>[0-9a-f]{2}), stream_id=(?<stream>\d+)>")]
    private static partial Regex NghttpFrameLine();

    [GeneratedRegex(@"\] recv \(stream_id=(?<stream>\d+)\) (?<name>:?[^:\n]+): (?<value>[^\n]*)")]
    private static partial Regex NghttpHeaderLine();
}
