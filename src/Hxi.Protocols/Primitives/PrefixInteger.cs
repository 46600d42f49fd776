using System.Buffers;

namespace Hxi.Protocols.Primitives;

/// <summary>The prefixed integers of HPACK (RFC 7541 Section 5.1), also used by QPACK (RFC 9204 Section 4.1.1).</summary>
/// <remarks>
/// <code>
///   0   1   2   3   4   5   6   7
/// +---+---+---+---+---+---+---+---+
/// | ? | ? | ? |       Value       |   value &lt; 2^N-1 fits in the N-bit prefix
/// +---+---+---+-------------------+
/// | ? | ? | ? | 1   1   1   1   1 |   otherwise the prefix is all ones and
/// +---+---+---+-------------------+
/// | 1 |    Value-(2^N-1) LSB      |   the rest follows 7 bits at a time,
/// +---+---------------------------+
///                ...
/// +---+---------------------------+
/// | 0 |    Value-(2^N-1) MSB      |   least significant group first
/// +---+---------------------------+
/// </code>
/// Values are limited to <see cref="int.MaxValue"/>: every HPACK/QPACK integer is an index, a length
/// or a table size, and the RFC requires "integer encodings that exceed implementation limits" to be errors.
/// </remarks>
public static class PrefixInteger
{
    /// <summary>More continuation bytes than this is an error even if they only add zeros (an overlong encoding).</summary>
    public const int MaxContinuationBytes = 10;

    /// <summary>
    /// Reads an integer whose prefix is the low <paramref name="prefixBits"/> bits of <c>source[0]</c>.
    /// Returns <see cref="OperationStatus.NeedMoreData"/> when the input ends inside the integer and
    /// <see cref="OperationStatus.InvalidData"/> when it exceeds <see cref="int.MaxValue"/> or
    /// <see cref="MaxContinuationBytes"/>.
    /// </summary>
    public static OperationStatus Read(ReadOnlySpan<byte> source, int prefixBits, out int value, out int consumed)
    {
        CheckPrefixBits(prefixBits);
        value = 0;
        consumed = 0;
        if (source.IsEmpty)
        {
            return OperationStatus.NeedMoreData;
        }

        int prefixMask = (1 << prefixBits) - 1;
        int prefix = source[0] & prefixMask;
        if (prefix < prefixMask)
        {
            value = prefix;
            consumed = 1;
            return OperationStatus.Done;
        }

        ulong result = (ulong)prefixMask;
        int shift = 0;
        for (int i = 1; i < source.Length; i++)
        {
            if (i > MaxContinuationBytes)
            {
                return OperationStatus.InvalidData;
            }

            int group = source[i] & 0x7f;
            if (group != 0)
            {
                // A non-zero group at bit 32 or beyond is past int.MaxValue whatever came before.
                if (shift > 31)
                {
                    return OperationStatus.InvalidData;
                }

                result += (ulong)group << shift;
                if (result > int.MaxValue)
                {
                    return OperationStatus.InvalidData;
                }
            }

            if ((source[i] & 0x80) == 0)
            {
                value = (int)result;
                consumed = i + 1;
                return OperationStatus.Done;
            }

            shift += 7;
        }

        return OperationStatus.NeedMoreData;
    }

    /// <summary>Like <see cref="Read"/>, but without telling truncated input from invalid input.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, int prefixBits, out int value, out int consumed) =>
        Read(source, prefixBits, out value, out consumed) == OperationStatus.Done;

    /// <summary>The number of bytes <see cref="TryWrite"/> needs for <paramref name="value"/>.</summary>
    public static int GetByteCount(int value, int prefixBits)
    {
        CheckPrefixBits(prefixBits);
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        int prefixMask = (1 << prefixBits) - 1;
        if (value < prefixMask)
        {
            return 1;
        }

        int count = 2;
        for (uint rest = (uint)(value - prefixMask); rest >= 0x80; rest >>= 7)
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Writes <paramref name="value"/> with an N-bit prefix; <paramref name="prefixFlags"/> supplies the
    /// representation's pattern in the bits above the prefix (e.g. 0x80 for an indexed field).
    /// </summary>
    public static bool TryWrite(Span<byte> destination, int value, int prefixBits, byte prefixFlags, out int written)
    {
        written = 0;
        int count = GetByteCount(value, prefixBits);
        if (destination.Length < count)
        {
            return false;
        }

        int prefixMask = (1 << prefixBits) - 1;
        byte flags = (byte)(prefixFlags & ~prefixMask);
        if (value < prefixMask)
        {
            destination[0] = (byte)(flags | value);
            written = 1;
            return true;
        }

        destination[0] = (byte)(flags | prefixMask);
        uint rest = (uint)(value - prefixMask);
        int i = 1;
        for (; rest >= 0x80; rest >>= 7)
        {
            destination[i++] = (byte)(0x80 | (rest & 0x7f));
        }

        destination[i++] = (byte)rest;
        written = i;
        return true;
    }

    /// <summary>Writes like <see cref="TryWrite"/> into a destination the caller sized with <see cref="GetByteCount"/>.</summary>
    public static int Write(Span<byte> destination, int value, int prefixBits, byte prefixFlags)
    {
        if (!TryWrite(destination, value, prefixBits, prefixFlags, out int written))
        {
            throw new ArgumentException($"The destination needs {GetByteCount(value, prefixBits)} bytes.", nameof(destination));
        }

        return written;
    }

    private static void CheckPrefixBits(int prefixBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefixBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixBits, 8);
    }
}
