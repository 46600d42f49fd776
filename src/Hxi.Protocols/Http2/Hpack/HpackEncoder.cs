using System.Buffers;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http2.Hpack;

/// <summary>Encodes header lists into HPACK field blocks (RFC 7541) for one connection.</summary>
/// <remarks>
/// Policy: an exact static or dynamic match is sent indexed; otherwise a literal, added to the dynamic table
/// and naming a table entry when one has the name. Sensitive fields are never indexed (Section 7.1.3);
/// fields unlikely to repeat are sent without indexing so they don't flush useful entries.
/// </remarks>
public sealed class HpackEncoder
{
    /// <summary>The initial SETTINGS_HEADER_TABLE_SIZE of RFC 9113 Section 6.5.2, which the peer's decoder starts with.</summary>
    public const int DefaultTableSize = 4096;

    /// <summary>Values longer than this are sent without indexing: they would evict many entries and rarely repeat.</summary>
    public const int MaxIndexedValueLength = 512;

    /// <summary>Cookies shorter than this are never indexed: a short secret is cheap to guess (RFC 7541 Section 7.1.3).</summary>
    public const int MinIndexedCookieLength = 20;

    private readonly int _tableSizeCap;

    // Peer limit changes since the last block, -1 when none. RFC 7541 Section 4.2: signal the smallest, then the final one.
    private int _smallestPendingSize = -1;
    private int _finalPendingSize = -1;

    private byte[] _nameBytes = new byte[64];
    private byte[] _valueBytes = new byte[256];

    /// <param name="maxTableSize">Our own cap on the dynamic table, whatever the peer allows.</param>
    public HpackEncoder(int maxTableSize = DefaultTableSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTableSize);
        _tableSizeCap = maxTableSize;

        // Using less than the peer's 4096 without announcing it is safe: both sides insert the same entries at
        // the front, so ours stay a prefix of the peer's and every index we send still means the same entry.
        Table = new HpackDynamicTable(Math.Min(maxTableSize, DefaultTableSize), supportsLookup: true);
    }

    public HpackDynamicTable Table { get; }

    /// <summary>Huffman-code strings when that makes them shorter; off sends every string as raw octets.</summary>
    public bool UseHuffman { get; set; } = true;

    /// <summary>
    /// Takes the peer's SETTINGS_HEADER_TABLE_SIZE. The table size becomes the smaller of it and our cap, and the
    /// next block starts with the dynamic table size update(s) that announce the change.
    /// </summary>
    public void SetPeerMaxTableSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        int chosen = Math.Min(size, _tableSizeCap);
        _smallestPendingSize = _smallestPendingSize < 0 ? chosen : Math.Min(_smallestPendingSize, chosen);
        _finalPendingSize = chosen;
    }

    /// <summary>Appends the field block for <paramref name="fields"/>; one trace entry per representation when asked.</summary>
    /// <exception cref="ArgumentException">A name or value has a character above U+00FF; nothing is written.</exception>
    public void Encode(IReadOnlyList<HeaderField> fields, IBufferWriter<byte> output, List<HpackFieldTrace>? trace = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(output);

        // Check everything first: failing halfway would leave our table ahead of the peer's.
        foreach (HeaderField field in fields)
        {
            Latin1.Validate(field.Name, nameof(fields));
            Latin1.Validate(field.Value, nameof(fields));
        }

        WritePendingSizeUpdates(output, trace);
        foreach (HeaderField field in fields)
        {
            EncodeField(field, output, trace);
        }
    }

    private void WritePendingSizeUpdates(IBufferWriter<byte> output, List<HpackFieldTrace>? trace)
    {
        if (_finalPendingSize < 0)
        {
            return;
        }

        if (_smallestPendingSize < Table.MaxSize && _smallestPendingSize != _finalPendingSize)
        {
            WriteSizeUpdate(_smallestPendingSize, output, trace);
        }

        if (_finalPendingSize != Table.MaxSize)
        {
            WriteSizeUpdate(_finalPendingSize, output, trace);
        }

        _smallestPendingSize = -1;
        _finalPendingSize = -1;
    }

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 0 | 1 |   Max size (5+)   |
    // +---+---------------------------+
    private void WriteSizeUpdate(int size, IBufferWriter<byte> output, List<HpackFieldTrace>? trace)
    {
        int length = PrefixInteger.GetByteCount(size, 5);
        Span<byte> span = output.GetSpan(length);
        PrefixInteger.Write(span, size, 5, 0x20);
        List<HeaderField>? evicted = trace is null ? null : [];
        Table.SetMaxSize(size, evicted);
        trace?.Add(new HpackFieldTrace(
            HpackRepresentation.DynamicTableSizeUpdate, default, size, false, false, span[..length].ToArray(), evicted!));
        output.Advance(length);
    }

    private void EncodeField(HeaderField field, IBufferWriter<byte> output, List<HpackFieldTrace>? trace)
    {
        if (IsSensitive(field))
        {
            WriteLiteral(HpackRepresentation.LiteralNeverIndexed, field, FindNameIndex(field.Name), output, trace);
            return;
        }

        if (TryFindIndex(field, out int index))
        {
            WriteIndexed(field, index, output, trace);
            return;
        }

        HpackRepresentation representation = ShouldIndex(field)
            ? HpackRepresentation.LiteralWithIncrementalIndexing
            : HpackRepresentation.LiteralWithoutIndexing;
        WriteLiteral(representation, field, FindNameIndex(field.Name), output, trace);
    }

    private static bool IsSensitive(HeaderField field) =>
        field.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
        || field.Name.Equals("proxy-authorization", StringComparison.OrdinalIgnoreCase)
        || field.Name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase)
        || (field.Name.Equals("cookie", StringComparison.OrdinalIgnoreCase) && field.Value.Length < MinIndexedCookieLength);

    private bool ShouldIndex(HeaderField field) =>
        !(field.Name == ":path" && field.Value.Contains('?'))
        && field.Value.Length <= MaxIndexedValueLength

        // An entry larger than the table would only empty it (Section 4.4).
        && field.HpackSize <= Table.MaxSize;

    private bool TryFindIndex(HeaderField field, out int index)
    {
        if (HpackStaticTable.TryGetIndex(field, out index))
        {
            return true;
        }

        if (Table.TryFind(field, out int position))
        {
            index = HpackStaticTable.Count + 1 + position;
            return true;
        }

        return false;
    }

    // The static table is preferred: its indexes are small and never move.
    private int FindNameIndex(string name) =>
        HpackStaticTable.TryGetNameIndex(name, out int index) ? index
        : Table.TryFindName(name, out int position) ? HpackStaticTable.Count + 1 + position
        : 0;

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 1 |        Index (7+)         |
    // +---+---------------------------+
    private static void WriteIndexed(HeaderField field, int index, IBufferWriter<byte> output, List<HpackFieldTrace>? trace)
    {
        int length = PrefixInteger.GetByteCount(index, 7);
        Span<byte> span = output.GetSpan(length);
        PrefixInteger.Write(span, index, 7, 0x80);
        trace?.Add(new HpackFieldTrace(HpackRepresentation.Indexed, field, index, false, false, span[..length].ToArray(), []));
        output.Advance(length);
    }

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 1 |      Index (6+)       |   incremental indexing; 0000 (4+) without, 0001 (4+) never indexed
    // +---+---+-----------------------+
    // | H |     Name Length (7+)      |   only when the index is 0
    // +---+---------------------------+
    // |  Name String (Length octets)  |
    // +---+---------------------------+
    // | H |     Value Length (7+)     |
    // +---+---------------------------+
    // | Value String (Length octets)  |
    // +-------------------------------+
    private void WriteLiteral(
        HpackRepresentation representation, HeaderField field, int nameIndex, IBufferWriter<byte> output, List<HpackFieldTrace>? trace)
    {
        (int prefixBits, byte pattern) = representation switch
        {
            HpackRepresentation.LiteralWithIncrementalIndexing => (6, (byte)0x40),
            HpackRepresentation.LiteralNeverIndexed => (4, (byte)0x10),
            _ => (4, (byte)0x00),
        };

        int length = PrefixInteger.GetByteCount(nameIndex, prefixBits);
        var name = default(StringLiteral);
        if (nameIndex == 0)
        {
            name = PrepareString(field.Name, ref _nameBytes);
            length += name.EncodedLength;
        }

        StringLiteral value = PrepareString(field.Value, ref _valueBytes);
        length += value.EncodedLength;

        Span<byte> span = output.GetSpan(length);
        int written = PrefixInteger.Write(span, nameIndex, prefixBits, pattern);
        if (nameIndex == 0)
        {
            written += WriteString(name, _nameBytes, span[written..]);
        }

        written += WriteString(value, _valueBytes, span[written..]);

        List<HeaderField>? evicted = trace is null ? null : [];
        if (representation == HpackRepresentation.LiteralWithIncrementalIndexing)
        {
            Table.Insert(field, evicted);
        }

        trace?.Add(new HpackFieldTrace(
            representation, field, nameIndex, name.Huffman, value.Huffman, span[..written].ToArray(), evicted!));
        output.Advance(written);
    }

    private readonly record struct StringLiteral(int RawLength, int DataLength, bool Huffman)
    {
        public int EncodedLength => PrefixInteger.GetByteCount(DataLength, 7) + DataLength;
    }

    private StringLiteral PrepareString(string text, ref byte[] scratch)
    {
        if (scratch.Length < text.Length)
        {
            scratch = new byte[Math.Max(text.Length, scratch.Length * 2)];
        }

        int rawLength = Latin1.Write(text, scratch);
        if (UseHuffman)
        {
            int huffmanLength = Huffman.GetEncodedLength(scratch.AsSpan(0, rawLength));
            if (huffmanLength < rawLength)
            {
                return new StringLiteral(rawLength, huffmanLength, true);
            }
        }

        return new StringLiteral(rawLength, rawLength, false);
    }

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | H |    String Length (7+)     |
    // +---+---------------------------+
    // |  String Data (Length octets)  |
    // +-------------------------------+
    private static int WriteString(StringLiteral literal, byte[] raw, Span<byte> destination)
    {
        int written = PrefixInteger.Write(destination, literal.DataLength, 7, literal.Huffman ? (byte)0x80 : (byte)0);
        ReadOnlySpan<byte> source = raw.AsSpan(0, literal.RawLength);
        if (literal.Huffman)
        {
            written += Huffman.Encode(source, destination[written..]);
        }
        else
        {
            source.CopyTo(destination[written..]);
            written += source.Length;
        }

        return written;
    }
}
