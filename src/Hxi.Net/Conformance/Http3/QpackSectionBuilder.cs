using System.Text;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Conformance.Http3;

/// <summary>
/// Writes QPACK field sections and encoder/decoder instructions (RFC 9204 Section 4) exactly as asked: the cases need
/// sections no encoder would produce (references past the Required Insert Count, bad static indices, lying prefixes).
/// </summary>
/// <remarks>Requests are written with literal names and values, never Huffman-coded, so no table state is involved.</remarks>
public sealed class QpackSectionBuilder
{
    private readonly List<byte> _bytes = [];

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // |   Required Insert Count (8+)  |
    // +---+---------------------------+
    // | S |      Delta Base (7+)      |
    // +---+---------------------------+
    /// <summary>Starts a section with the Encoded Field Section Prefix (Section 4.5.1), encoded values as given.</summary>
    public static QpackSectionBuilder WithPrefix(long encodedInsertCount, bool negativeBase = false, long deltaBase = 0)
    {
        var builder = new QpackSectionBuilder();
        builder.Integer(0x00, 8, encodedInsertCount);
        builder.Integer(negativeBase ? (byte)0x80 : (byte)0x00, 7, deltaBase);
        return builder;
    }

    /// <summary>A section with no dynamic references (prefix 0, 0) holding <paramref name="fields"/> as literals.</summary>
    public static byte[] Plain(IEnumerable<HeaderField> fields)
    {
        var section = WithPrefix(0);
        foreach (var field in fields)
        {
            section.Literal(field.Name, field.Value);
        }

        return section.ToArray();
    }

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 0 | 1 | N | H |NameLen(3+)|
    // +---+---+---+---+---+-----------+
    // |  Name String (Length bytes)   |
    // +---+---------------------------+
    // | H |     Value Length (7+)     |
    // +---+---------------------------+
    // |  Value String (Length bytes)  |
    // +-------------------------------+
    /// <summary>Literal Field Line with Literal Name (Section 4.5.6), bytes as Latin-1, no Huffman.</summary>
    public QpackSectionBuilder Literal(string name, string value)
    {
        var nameBytes = Encoding.Latin1.GetBytes(name);
        var valueBytes = Encoding.Latin1.GetBytes(value);
        Integer(0x20, 3, nameBytes.Length);
        _bytes.AddRange(nameBytes);
        Integer(0x00, 7, valueBytes.Length);
        _bytes.AddRange(valueBytes);
        return this;
    }

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 1 | T |      Index (6+)       |
    // +---+---+-----------------------+
    /// <summary>Indexed Field Line (Section 4.5.2): T=1 a static index, T=0 a dynamic index relative to the Base.</summary>
    public QpackSectionBuilder Indexed(long index, bool isStatic = true)
    {
        Integer(isStatic ? (byte)0xc0 : (byte)0x80, 6, index);
        return this;
    }

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 1 | N | T |Name Index (4+)|
    // +---+---+---+---+---------------+
    // | H |     Value Length (7+)     |
    // +---+---------------------------+
    /// <summary>Literal Field Line with Name Reference (Section 4.5.4), the value as a plain literal.</summary>
    public QpackSectionBuilder LiteralWithNameReference(long index, string value, bool isStatic = true)
    {
        var valueBytes = Encoding.Latin1.GetBytes(value);
        Integer(isStatic ? (byte)0x50 : (byte)0x40, 4, index);
        Integer(0x00, 7, valueBytes.Length);
        _bytes.AddRange(valueBytes);
        return this;
    }

    /// <summary>Bytes exactly as given, for strings that break the Huffman code or lengths that lie.</summary>
    public QpackSectionBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    /// <summary>A prefixed integer (Section 4.1.1): <paramref name="flags"/> above the prefix, then 7-bit continuation bytes.</summary>
    public static byte[] PrefixedInteger(byte flags, int prefixBits, long value)
    {
        var max = (1L << prefixBits) - 1;
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

    private void Integer(byte flags, int prefixBits, long value) => _bytes.AddRange(PrefixedInteger(flags, prefixBits, value));
}

/// <summary>Encoder and decoder stream instructions (RFC 9204 Sections 4.3 and 4.4), byte for byte.</summary>
public static class QpackInstructions
{
    /// <summary>Set Dynamic Table Capacity (4.3.1): <c>001xxxxx</c>.</summary>
    public static byte[] SetCapacity(long capacity) => QpackSectionBuilder.PrefixedInteger(0x20, 5, capacity);

    /// <summary>Insert with Literal Name (4.3.3): <c>01Hxxxxx</c> name, value; no Huffman.</summary>
    public static byte[] InsertLiteral(string name, string value)
    {
        var nameBytes = Encoding.Latin1.GetBytes(name);
        var valueBytes = Encoding.Latin1.GetBytes(value);
        return
        [
            .. QpackSectionBuilder.PrefixedInteger(0x40, 5, nameBytes.Length), .. nameBytes,
            .. QpackSectionBuilder.PrefixedInteger(0x00, 7, valueBytes.Length), .. valueBytes,
        ];
    }

    /// <summary>Insert with Name Reference (4.3.2): <c>1Txxxxxx</c>, T=1 static, then the value.</summary>
    public static byte[] InsertWithNameReference(long index, bool isStatic, string value)
    {
        var valueBytes = Encoding.Latin1.GetBytes(value);
        return
        [
            .. QpackSectionBuilder.PrefixedInteger(isStatic ? (byte)0xc0 : (byte)0x80, 6, index),
            .. QpackSectionBuilder.PrefixedInteger(0x00, 7, valueBytes.Length), .. valueBytes,
        ];
    }

    /// <summary>Duplicate (4.3.4): <c>000xxxxx</c>, a relative index.</summary>
    public static byte[] Duplicate(long relativeIndex) => QpackSectionBuilder.PrefixedInteger(0x00, 5, relativeIndex);

    /// <summary>Section Acknowledgment (4.4.1): <c>1xxxxxxx</c>, a stream id.</summary>
    public static byte[] SectionAcknowledgment(long streamId) => QpackSectionBuilder.PrefixedInteger(0x80, 7, streamId);

    /// <summary>Insert Count Increment (4.4.3): <c>00xxxxxx</c>.</summary>
    public static byte[] InsertCountIncrement(long increment) => QpackSectionBuilder.PrefixedInteger(0x00, 6, increment);

    /// <summary>Stream Cancellation (4.4.2): <c>01xxxxxx</c>, a stream id.</summary>
    public static byte[] StreamCancellation(long streamId) => QpackSectionBuilder.PrefixedInteger(0x40, 6, streamId);
}
