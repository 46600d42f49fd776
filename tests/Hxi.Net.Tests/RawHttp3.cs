using System.Text;

namespace Hxi.Net.Tests;

/// <summary>
/// HTTP/3 and QPACK bytes built by the test's own code, with no validation: what a hostile server sends.
/// Each builder shows the wire layout it writes.
/// </summary>
public static class RawHttp3
{
    public const long Data = 0x00, Headers = 0x01, Settings = 0x04;

    /// <summary>Unidirectional stream types (RFC 9114 Section 6.2, RFC 9204 Section 4.2).</summary>
    public const byte ControlStream = 0x00, EncoderStream = 0x02, DecoderStream = 0x03;

    /// <summary>":status: 200" as a field section: Required Insert Count 0, Base 0, static index 25 (RFC 9204 Section 4.5.2).</summary>
    public static readonly byte[] Status200 = [0x00, 0x00, 0xd9];

    /// <summary>Type (i) | Length (i) | Frame Payload (RFC 9114 Section 7.1).</summary>
    public static byte[] Frame(long type, params byte[] payload) => [.. Varint(type), .. Varint(payload.Length), .. payload];

    /// <summary>A QUIC variable-length integer (RFC 9000 Section 16), in its shortest form.</summary>
    public static byte[] Varint(long value) => value switch
    {
        < 0x40 => [(byte)value],
        < 0x4000 => [(byte)(0x40 | (value >> 8)), (byte)value],
        < 0x4000_0000 => [(byte)(0x80 | (value >> 24)), (byte)(value >> 16), (byte)(value >> 8), (byte)value],
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>
    /// A prefixed integer (RFC 9204 Section 4.1.1, as RFC 7541 Section 5.1): <paramref name="flags"/> in the bits above
    /// the prefix, then 7-bit continuation bytes once the value fills the prefix.
    /// </summary>
    public static byte[] PrefixedInteger(byte flags, int prefixBits, long value)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            return [(byte)(flags | value)];
        }

        var bytes = new List<byte> { (byte)(flags | max) };
        for (value -= max; value >= 0x80; value >>= 7)
        {
            bytes.Add((byte)(0x80 | (value & 0x7f)));
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 0 | 1 |   Capacity (5+)   |
    // +---+---+---+-------------------+
    /// <summary>Set Dynamic Table Capacity (RFC 9204 Section 4.3.1).</summary>
    public static byte[] SetCapacity(long capacity) => PrefixedInteger(0x20, 5, capacity);

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 1 | H | Name Length (5+)  |
    // +---+---+---+-------------------+
    // |  Name String (Length bytes)   |
    // +---+---------------------------+
    // | H |     Value Length (7+)     |
    // +---+---------------------------+
    // |  Value String (Length bytes)  |
    // +-------------------------------+
    /// <summary>Insert with Literal Name (RFC 9204 Section 4.3.3), no Huffman coding.</summary>
    public static byte[] InsertLiteral(string name, string value) =>
    [
        .. PrefixedInteger(0x40, 5, name.Length), .. Encoding.ASCII.GetBytes(name),
        .. PrefixedInteger(0x00, 7, value.Length), .. Encoding.ASCII.GetBytes(value),
    ];

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 0 | 0 |    Index (5+)     |
    // +---+---+---+-------------------+
    /// <summary>Duplicate (RFC 9204 Section 4.3.4): copy the entry at a relative index.</summary>
    public static byte[] Duplicate(long relativeIndex) => PrefixedInteger(0x00, 5, relativeIndex);

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 1 |     Stream ID (6+)    |
    // +---+---+-----------------------+
    /// <summary>Stream Cancellation (RFC 9204 Section 4.4.2), a decoder-stream instruction.</summary>
    public static byte[] StreamCancellation(long streamId) => PrefixedInteger(0x40, 6, streamId);
}
