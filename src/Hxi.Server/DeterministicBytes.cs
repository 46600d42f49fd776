using System.Buffers.Binary;

namespace Hxi.Server;

/// <summary>
/// The byte stream served by <c>/bytes/N</c>: SplitMix64 seeded with N, each 64-bit output written
/// little-endian, truncated to N bytes. Any client can regenerate it to check a download.
/// </summary>
public sealed class DeterministicBytes(ulong seed)
{
    private ulong _state = seed;
    private ulong _pending;
    private int _pendingCount;

    /// <summary>The next SplitMix64 output (Steele, Lea and Flood 2014; Vigna's reference constants).</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
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

        while (destination.Length >= sizeof(ulong))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination, NextUInt64());
            destination = destination[sizeof(ulong)..];
        }

        if (!destination.IsEmpty)
        {
            _pending = NextUInt64();
            _pendingCount = sizeof(ulong);
            Fill(destination);
        }
    }

    /// <summary>The whole <c>/bytes/N</c> body; convenient for tests with small N.</summary>
    public static byte[] ForLength(int length)
    {
        var bytes = new byte[length];
        new DeterministicBytes((ulong)length).Fill(bytes);
        return bytes;
    }
}
