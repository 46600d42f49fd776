using System.Buffers.Binary;

namespace Hxi.Protocols.Primitives;

/// <summary>QUIC variable-length integers (RFC 9000 Section 16), shared by QUIC and HTTP/3.</summary>
/// <remarks>
/// <code>
/// | 2MSB | Length | Usable Bits | Range                 |
/// |:-----|:-------|:------------|:----------------------|
/// | 00   | 1      | 6           | 0-63                  |
/// | 01   | 2      | 14          | 0-16383               |
/// | 10   | 4      | 30          | 0-1073741823          |
/// | 11   | 8      | 62          | 0-4611686018427387903 |
/// </code>
/// Reading never fails on range: 62 bits is all the encoding can carry. Writing a value of
/// 2^62 or more is the caller's bug, so it throws rather than returning false.
/// </remarks>
public static class QuicVarint
{
    /// <summary>The largest encodable value, 2^62 - 1.</summary>
    public const ulong MaxValue = (1UL << 62) - 1;

    /// <summary>The number of bytes an encoding takes, from the two high bits of its first byte.</summary>
    public static int GetLengthFromFirstByte(byte first) => 1 << (first >> 6);

    /// <summary>Reads one varint; false when <paramref name="source"/> ends inside it.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int consumed)
    {
        value = 0;
        consumed = 0;
        if (source.IsEmpty)
        {
            return false;
        }

        int length = GetLengthFromFirstByte(source[0]);
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

    /// <summary>The shortest encoding's length for <paramref name="value"/> (1, 2, 4 or 8).</summary>
    public static int GetByteCount(ulong value)
    {
        CheckRange(value);
        return value switch
        {
            <= 63 => 1,
            <= 16_383 => 2,
            <= 1_073_741_823 => 4,
            _ => 8,
        };
    }

    /// <summary>Writes the shortest encoding; false when <paramref name="destination"/> is too small.</summary>
    public static bool TryWrite(Span<byte> destination, ulong value, out int written) =>
        TryWrite(destination, value, GetByteCount(value), out written);

    /// <summary>
    /// Writes <paramref name="value"/> in exactly <paramref name="length"/> bytes (1, 2, 4 or 8), e.g. a
    /// Length field reserved before the payload size is known.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, ulong value, int length, out int written)
    {
        CheckRange(value);
        if (length is not (1 or 2 or 4 or 8) || GetByteCount(value) > length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"cannot encode {value} in {length} bytes");
        }

        written = 0;
        if (destination.Length < length)
        {
            return false;
        }

        switch (length)
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

        written = length;
        return true;
    }

    /// <summary>Writes the shortest encoding and returns its length; throws when the span is too small.</summary>
    public static int Write(Span<byte> destination, ulong value) =>
        TryWrite(destination, value, out int written)
            ? written
            : throw new ArgumentException("destination too small for the varint", nameof(destination));

    private static void CheckRange(ulong value)
    {
        if (value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "QUIC varints carry at most 2^62 - 1");
        }
    }
}
