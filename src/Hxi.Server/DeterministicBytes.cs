using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hxi.Server;

/// <summary>
/// The byte stream served by <c>/bytes/N</c>: SplitMix64 seeded with N, each 64-bit output written
/// little-endian, truncated to N bytes. Any client can regenerate it to check a download.
/// </summary>
public sealed class DeterministicBytes(ulong seed)
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    private ulong _state = seed;
    private ulong _pending;
    private int _pendingCount;

    /// <summary>The next SplitMix64 output (Steele, Lea and Flood 2014; Vigna's reference constants).</summary>
    public ulong NextUInt64()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>Fills <paramref name="destination"/> with the next bytes of the stream; calls may split it anywhere.</summary>
    public void Fill(Span<byte> destination)
    {
        while (_pendingCount > 0 && !destination.IsEmpty)
        {
            destination[0] = (byte)_pending;
            _pending >>= 8;
            _pendingCount--;
            destination = destination[1..];
        }

        // Whole words in one tight loop over the span as ulongs (unaligned is fine): the per-word span slicing and
        // bounds checks cost as much as SplitMix64 itself, and /bytes is what throughput benchmarks download.
        var words = MemoryMarshal.Cast<byte, ulong>(destination);
        var state = _state;
        for (var i = 0; i < words.Length; i++)
        {
            state += Gamma;
            var z = Mix(state);
            words[i] = BitConverter.IsLittleEndian ? z : BinaryPrimitives.ReverseEndianness(z);
        }

        _state = state;
        destination = destination[(words.Length * sizeof(ulong))..];

        if (!destination.IsEmpty)
        {
            _pending = NextUInt64();
            _pendingCount = sizeof(ulong);
            Fill(destination);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>The whole <c>/bytes/N</c> body; convenient for tests with small N.</summary>
    public static byte[] ForLength(int length)
    {
        var bytes = new byte[length];
        new DeterministicBytes((ulong)length).Fill(bytes);
        return bytes;
    }
}
