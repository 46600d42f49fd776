using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Hxi.Interop.Tests;

/// <summary>
/// Large deterministic payloads for download tests, generated once and cached across runs (and worktrees)
/// under the temp folder in a directory named after the generator, so changing it never reuses stale bytes.
/// </summary>
public static class PeerFiles
{
    public const long File10MbLength = 10L * 1024 * 1024;

    public const long File100MbLength = 100L * 1024 * 1024;

    public const string SmallTextContent = "hxi small file\n";

    private const ulong Seed = 0x9E3779B97F4A7C15;

    // Part of the cache key: bump it whenever the bytes this class produces change.
    private const string GeneratorVersion = "xorshift64-v1";

    private static readonly Lazy<Payloads> Cached = new(Prepare, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Directory holding small.txt, 10mb.bin and 100mb.bin; meant to be served as-is.</summary>
    public static string Directory => Cached.Value.Directory;

    /// <summary>Lowercase hex SHA-256 of 100mb.bin.</summary>
    public static string File100MbSha256 => Cached.Value.Sha256Of100Mb;

    /// <summary>Lowercase hex SHA-256 of 10mb.bin.</summary>
    public static string File10MbSha256 => Cached.Value.Sha256Of10Mb;

    public static string File100MbPath => Path.Combine(Directory, "100mb.bin");

    private static Payloads Prepare()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hxi-peers", $"files-{GeneratorVersion}-{Seed:x16}");
        System.IO.Directory.CreateDirectory(directory);
        WriteIfMissing(Path.Combine(directory, "small.txt"), SmallTextContent);
        var small = EnsureBinary(Path.Combine(directory, "10mb.bin"), File10MbLength, Seed);
        var large = EnsureBinary(Path.Combine(directory, "100mb.bin"), File100MbLength, Seed + 1);
        return new Payloads(directory, small, large);
    }

    /// <summary>Reuses the file when it and its hash sidecar exist at the right length; otherwise regenerates both.</summary>
    private static string EnsureBinary(string path, long length, ulong seed)
    {
        var hashPath = path + ".sha256";
        if (File.Exists(path) && new FileInfo(path).Length == length && File.Exists(hashPath))
        {
            return File.ReadAllText(hashPath).Trim();
        }

        // Write under a unique name and rename: a parallel run in another worktree then sees a whole file or none.
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        string hash;
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            WritePseudoRandom(file, sha, length, seed);
            hash = Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        var temporaryHash = temporary + ".sha256";
        File.WriteAllText(temporaryHash, hash + "\n");
        File.Move(temporaryHash, hashPath, overwrite: true);
        File.Move(temporary, path, overwrite: true);
        return hash;
    }

    /// <summary>xorshift64, a 1 MB chunk at a time: generating 100 MB stays well under a second, where Random per byte would not.</summary>
    private static void WritePseudoRandom(Stream output, IncrementalHash sha, long length, ulong seed)
    {
        var chunk = new byte[1 << 20];
        var state = seed;
        for (long written = 0; written < length; written += chunk.Length)
        {
            for (var offset = 0; offset < chunk.Length; offset += sizeof(ulong))
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                BinaryPrimitives.WriteUInt64LittleEndian(chunk.AsSpan(offset), state);
            }
            var count = (int)Math.Min(chunk.Length, length - written);
            output.Write(chunk, 0, count);
            sha.AppendData(chunk, 0, count);
        }
    }

    private static void WriteIfMissing(string path, string content)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content)
        {
            return;
        }
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private sealed record Payloads(string Directory, string Sha256Of10Mb, string Sha256Of100Mb);
}
