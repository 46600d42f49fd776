using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Hxi.Interop.Tests;

/// <summary>Reading what a matrix case left behind: a downloaded file's digest, hxi's qlog and --trace files.</summary>
public static class MatrixFiles
{
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Every event of every .sqlog in <paramref name="directory"/> (RFC 7464 JSON text sequences).</summary>
    public static IReadOnlyList<JsonElement> QlogEvents(string directory) =>
        [.. Directory.GetFiles(directory, "*.sqlog")
            .SelectMany(file => File.ReadAllText(file, Encoding.UTF8).Split('\x1e', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            .Select(part => JsonDocument.Parse(part).RootElement.Clone())];

    /// <summary>The key_phase_bit values of the 1-RTT packets of one direction ("transport:packet_sent" or "_received").</summary>
    public static IReadOnlyList<int> KeyPhases(IEnumerable<JsonElement> events, string name) =>
        [.. events
            .Where(e => e.GetProperty("name").GetString() == name
                && e.GetProperty("data").TryGetProperty("header", out var header)
                && header.TryGetProperty("key_phase_bit", out _))
            .Select(e => e.GetProperty("data").GetProperty("header").GetProperty("key_phase_bit").GetInt32())];

    /// <summary>The ECN codepoint of each datagram of one direction ("transport:datagrams_sent" or "_received").</summary>
    public static IReadOnlyList<string> DatagramEcn(IEnumerable<JsonElement> events, string name) =>
        [.. events
            .Where(e => e.GetProperty("name").GetString() == name && e.GetProperty("data").TryGetProperty("ecn", out _))
            .SelectMany(e => e.GetProperty("data").GetProperty("ecn").EnumerateArray().Select(v => v.GetString()!))];

    /// <summary>The (ect0, ect1, ce) counts of the ACK_ECN frames in the packets of one direction.</summary>
    public static IReadOnlyList<(long Ect0, long Ect1, long Ce)> AckEcnCounts(IEnumerable<JsonElement> events, string name) =>
        [.. events
            .Where(e => e.GetProperty("name").GetString() == name && e.GetProperty("data").TryGetProperty("frames", out _))
            .SelectMany(e => e.GetProperty("data").GetProperty("frames").EnumerateArray())
            .Where(f => f.GetProperty("frame_type").GetString() == "ack" && f.TryGetProperty("ect0", out _))
            .Select(f => (f.GetProperty("ect0").GetInt64(), f.GetProperty("ect1").GetInt64(), f.GetProperty("ce").GetInt64()))];

    /// <summary>The ECN validation states qlog's ecn_state_updated events moved to, in order.</summary>
    public static IReadOnlyList<string> EcnStates(IEnumerable<JsonElement> events) =>
        [.. events
            .Where(e => e.GetProperty("name").GetString() == "recovery:ecn_state_updated")
            .Select(e => e.GetProperty("data").GetProperty("new").GetString()!)];

    /// <summary>How many times the key phase flips along a sequence of packets.</summary>
    public static int Flips(IReadOnlyList<int> phases) => phases.Zip(phases.Skip(1)).Count(p => p.First != p.Second);

    public static string NewDirectory(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    public static void Delete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the system's temp cleaning.
        }
    }
}
