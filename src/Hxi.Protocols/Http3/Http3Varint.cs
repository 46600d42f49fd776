using System.Buffers.Binary;

namespace Hxi.Protocols.Http3;

/// <summary>QUIC variable-length integers (RFC 9000 Section 16), as HTTP/3 frames and stream headers use them.</summary>
/// <remarks>
/// <code>
/// +------+--------+-------------+-----------------------+
/// | 2MSB | Length | Usable Bits | Range                 |
/// +------+--------+-------------+-----------------------+
/// | 00   | 1      | 6           | 0-63                  |
/// | 01   | 2      | 14          | 0-16383               |
/// | 10   | 4      | 30          | 0-1073741823          |
/// | 11   | 8      | 62          | 0-4611686018427387903 |
/// +------+--------+-------------+-----------------------+
/// </code>
/// Kept here until the QUIC layer's codec lands; the two will be unified.
/// </remarks>
internal static class Http3Varint
{
    public const ulong MaxValue = (1UL << 62) - 1;

    /// <summary>The length announced by a first byte, known before the rest arrives.</summary>
    public static int GetLength(byte first) => 1 << (first >> 6);

    /// <summary>Reads one varint; false when <paramref name="source"/> ends inside it.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int consumed)
    {
        value = 0;
        consumed = 0;
        if (source.IsEmpty)
        {
            return false;
        }

        int length = GetLength(source[0]);
        if (source.Length < length)
        {
            return false;
        }

        value = length switch
        {
            1 => source[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(source) & 0x3fffu,
            4 => BinaryPrimitives.ReadUInt32BigEndian(source) & 0x3fff_ffffu,
            _ => BinaryPrimitives.ReadUInt64BigEndian(source) & MaxValue,
        };
        consumed = length;
        return true;
    }

    public static int GetByteCount(ulong value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxValue);
        return value switch
        {
            <= 63 => 1,
            <= 16383 => 2,
            <= 1073741823 => 4,
            _ => 8,
        };
    }

    /// <summary>Writes the shortest encoding; false if it does not fit. Values of 2^62 and above throw.</summary>
    public static bool TryWrite(Span<byte> destination, ulong value, out int written)
    {
        written = GetByteCount(value);
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }

        switch (written)
        {
            case 1:
                destination[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(value | 0x4000));
                break;
            case 4:
                BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)value | 0x8000_0000u);
                break;
            default:
                BinaryPrimitives.WriteUInt64BigEndian(destination, value | 0xc000_0000_0000_0000UL);
                break;
        }

        return true;
    }

    /// <summary>Writes into a destination the caller sized with <see cref="GetByteCount"/>.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        if (!TryWrite(destination, value, out int written))
        {
            throw new ArgumentException($"The destination needs {GetByteCount(value)} bytes.", nameof(destination));
        }

        return written;
    }
}
