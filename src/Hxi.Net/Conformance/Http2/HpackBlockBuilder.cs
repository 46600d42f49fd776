using System.Text;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Conformance.Http2;

/// <summary>
/// Writes HPACK field blocks (RFC 7541 Section 6) representation by representation, exactly as asked: the cases need
/// blocks no encoder would produce (indices out of range, a size update after a field, broken Huffman strings).
/// </summary>
/// <remarks>
/// Requests are written as literals without indexing and without Huffman, so no dynamic-table state carries from one
/// block to the next unless a case asks for it.
/// </remarks>
public sealed class HpackBlockBuilder
{
    private readonly List<byte> _bytes = [];

    /// <summary>A whole request's fields as literals with literal names, never indexed, never Huffman-coded.</summary>
    public static byte[] Plain(IEnumerable<HeaderField> fields)
    {
        var block = new HpackBlockBuilder();
        foreach (var field in fields)
        {
            block.Literal(field.Name, field.Value);
        }

        return block.ToArray();
    }

    /// <summary>Indexed Header Field (Section 6.1): <c>1xxxxxxx</c>.</summary>
    public HpackBlockBuilder Indexed(int index)
    {
        WriteInteger(0x80, 7, index);
        return this;
    }

    /// <summary>Literal Header Field without Indexing, new name (Section 6.2.2): <c>0000 0000</c>, name, value.</summary>
    public HpackBlockBuilder Literal(string name, string value)
    {
        _bytes.Add(0x00);
        String(name);
        String(value);
        return this;
    }

    /// <summary>Literal Header Field with Incremental Indexing, new name (Section 6.2.1): <c>0100 0000</c>, name, value.</summary>
    public HpackBlockBuilder LiteralIndexed(string name, string value)
    {
        _bytes.Add(0x40);
        String(name);
        String(value);
        return this;
    }

    /// <summary>Literal Header Field without Indexing, indexed name (Section 6.2.2): <c>0000xxxx</c>, value.</summary>
    public HpackBlockBuilder LiteralWithNameIndex(int nameIndex, string value)
    {
        WriteInteger(0x00, 4, nameIndex);
        String(value);
        return this;
    }

    /// <summary>Literal Header Field with Incremental Indexing, indexed name (Section 6.2.1): <c>01xxxxxx</c>, value.</summary>
    public HpackBlockBuilder LiteralIndexedWithNameIndex(int nameIndex, string value)
    {
        WriteInteger(0x40, 6, nameIndex);
        String(value);
        return this;
    }

    /// <summary>Literal Header Field Never Indexed, indexed name (Section 6.2.3): <c>0001xxxx</c>, value.</summary>
    public HpackBlockBuilder NeverIndexedWithNameIndex(int nameIndex, string value)
    {
        WriteInteger(0x10, 4, nameIndex);
        String(value);
        return this;
    }

    /// <summary>Dynamic Table Size Update (Section 6.3): <c>001xxxxx</c>.</summary>
    public HpackBlockBuilder SizeUpdate(int maxSize)
    {
        WriteInteger(0x20, 5, maxSize);
        return this;
    }

    /// <summary>Literal without indexing whose value is the given Huffman-flagged octets, valid or not (Section 5.2).</summary>
    public HpackBlockBuilder LiteralWithHuffmanValue(string name, ReadOnlySpan<byte> huffmanOctets)
    {
        _bytes.Add(0x00);
        String(name);
        WriteInteger(0x80, 7, huffmanOctets.Length);
        _bytes.AddRange(huffmanOctets);
        return this;
    }

    /// <summary>Literal without indexing whose value is Huffman-coded correctly.</summary>
    public HpackBlockBuilder LiteralHuffman(string name, string value)
    {
        var raw = Encoding.Latin1.GetBytes(value);
        var coded = new byte[Huffman.GetEncodedLength(raw)];
        Huffman.Encode(raw, coded);
        return LiteralWithHuffmanValue(name, coded);
    }

    /// <summary>Octets written as they are: for truncated or otherwise impossible encodings.</summary>
    public HpackBlockBuilder Raw(params byte[] octets)
    {
        _bytes.AddRange(octets);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    private void String(string text)
    {
        var raw = Encoding.Latin1.GetBytes(text);
        WriteInteger(0x00, 7, raw.Length);
        _bytes.AddRange(raw);
    }

    /// <summary>An N-bit prefix integer (RFC 7541 Section 5.1) after the pattern bits in <paramref name="first"/>.</summary>
    private void WriteInteger(byte first, int prefixBits, int value)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            _bytes.Add((byte)(first | value));
            return;
        }

        _bytes.Add((byte)(first | max));
        var rest = value - max;
        while (rest >= 0x80)
        {
            _bytes.Add((byte)((rest & 0x7f) | 0x80));
            rest >>= 7;
        }

        _bytes.Add((byte)rest);
    }
}
