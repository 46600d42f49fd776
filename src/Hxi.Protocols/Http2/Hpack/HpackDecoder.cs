using System.Buffers;
using System.Text;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http2.Hpack;

/// <summary>Decodes complete HPACK field blocks (RFC 7541) against one connection's dynamic table.</summary>
/// <remarks>
/// Any error throws <see cref="HpackDecodingException"/>; the table is then out of step with the peer's
/// encoder, which is why HTTP/2 treats it as a connection error (COMPRESSION_ERROR).
/// </remarks>
public sealed class HpackDecoder
{
    private int _maxTableSize;
    private int _maxHeaderListSize;

    // Set when our advertised limit drops below the table's size: RFC 7541 Section 4.2 then requires the
    // next block to start with a size update, or the peer would keep indexing entries we must not hold.
    private bool _sizeUpdateRequired;

    private byte[] _huffmanBuffer = new byte[128];

    /// <param name="maxTableSize">The SETTINGS_HEADER_TABLE_SIZE we advertised: the table's initial size and the cap on size updates.</param>
    /// <param name="maxHeaderListSize">The largest decoded header list, counted as the sum of <see cref="HeaderField.HpackSize"/>.</param>
    public HpackDecoder(int maxTableSize = 4096, int maxHeaderListSize = 65536)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTableSize);
        ArgumentOutOfRangeException.ThrowIfNegative(maxHeaderListSize);
        _maxTableSize = maxTableSize;
        _maxHeaderListSize = maxHeaderListSize;
        Table = new HpackDynamicTable(maxTableSize);
    }

    /// <summary>
    /// Our advertised SETTINGS_HEADER_TABLE_SIZE; size updates above it are errors. Set it when the peer
    /// acknowledges the SETTINGS: lowering it below <see cref="HpackDynamicTable.MaxSize"/> makes a size
    /// update mandatory at the start of the next block.
    /// </summary>
    public int MaxTableSize
    {
        get => _maxTableSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxTableSize = value;
            _sizeUpdateRequired = value < Table.MaxSize;
        }
    }

    /// <summary>The largest header list a block may decode to, as the sum of <see cref="HeaderField.HpackSize"/>.</summary>
    public int MaxHeaderListSize
    {
        get => _maxHeaderListSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxHeaderListSize = value;
        }
    }

    public HpackDynamicTable Table { get; }

    /// <summary>
    /// Decodes one complete field block. When <paramref name="trace"/> is given, appends one entry per
    /// representation, size updates included, in wire order.
    /// </summary>
    public List<HeaderField> Decode(ReadOnlySpan<byte> block, List<HpackFieldTrace>? trace = null)
    {
        var fields = new List<HeaderField>();
        long listSize = 0;
        bool fieldSeen = false;
        int position = 0;

        if (_sizeUpdateRequired && (block.IsEmpty || !IsSizeUpdate(block[0])))
        {
            throw new HpackDecodingException(
                $"HPACK block must start with a dynamic table size update: the table limit was lowered to {_maxTableSize} " +
                $"but the table is still {Table.MaxSize} bytes (RFC 7541 Section 4.2)");
        }

        while (position < block.Length)
        {
            int start = position;
            byte first = block[position];
            List<HeaderField>? evicted = trace is null ? null : [];
            HeaderField field;
            HpackRepresentation representation;
            int index;
            bool nameHuffman = false;
            bool valueHuffman = false;

            if (IsSizeUpdate(first))
            {
                // Section 4.2: size updates belong at the start of a block, before any field.
                if (fieldSeen)
                {
                    throw new HpackDecodingException(
                        $"HPACK dynamic table size update at offset {start} follows a header field; updates must come first in the block");
                }

                index = ReadInteger(block, ref position, 5, "a dynamic table size");
                if (index > _maxTableSize)
                {
                    throw new HpackDecodingException(
                        $"HPACK dynamic table size update to {index} exceeds the advertised limit of {_maxTableSize}");
                }

                Table.SetMaxSize(index, evicted);
                _sizeUpdateRequired = false;
                trace?.Add(new HpackFieldTrace(
                    HpackRepresentation.DynamicTableSizeUpdate, default, index, false, false, block[start..position].ToArray(), evicted!));
                continue;
            }

            fieldSeen = true;
            if ((first & 0x80) != 0)
            {
                representation = HpackRepresentation.Indexed;
                index = ReadInteger(block, ref position, 7, "an index");
                field = Resolve(index, start);
            }
            else
            {
                int prefixBits;
                (representation, prefixBits) = (first & 0xf0) switch
                {
                    >= 0x40 => (HpackRepresentation.LiteralWithIncrementalIndexing, 6),
                    0x10 => (HpackRepresentation.LiteralNeverIndexed, 4),
                    _ => (HpackRepresentation.LiteralWithoutIndexing, 4),
                };
                index = ReadInteger(block, ref position, prefixBits, "a name index");

                // Resolve the name before inserting: the insertion may evict the very entry it names (Section 4.4).
                string name = index == 0 ? ReadString(block, ref position, out nameHuffman) : Resolve(index, start).Name;
                string value = ReadString(block, ref position, out valueHuffman);
                field = new HeaderField(name, value);
                if (representation == HpackRepresentation.LiteralWithIncrementalIndexing)
                {
                    Table.Insert(field, evicted);
                }
            }

            listSize += field.HpackSize;
            if (listSize > _maxHeaderListSize)
            {
                throw new HpackDecodingException(
                    $"HPACK header list size {listSize} exceeds the limit of {_maxHeaderListSize} bytes (at \"{field.Name}\")");
            }

            fields.Add(field);
            trace?.Add(new HpackFieldTrace(
                representation, field, index, nameHuffman, valueHuffman, block[start..position].ToArray(), evicted!));
        }

        return fields;
    }

    private static bool IsSizeUpdate(byte first) => (first & 0xe0) == 0x20;

    private HeaderField Resolve(int index, int offset)
    {
        if (index == 0)
        {
            throw new HpackDecodingException($"HPACK index 0 at offset {offset} is not valid (RFC 7541 Section 6.1)");
        }

        if (index <= HpackStaticTable.Count)
        {
            return HpackStaticTable.Get(index);
        }

        int dynamicIndex = index - HpackStaticTable.Count - 1;
        if (dynamicIndex >= Table.Count)
        {
            throw new HpackDecodingException(
                $"HPACK index {index} is past the end of the table ({HpackStaticTable.Count} static + {Table.Count} dynamic)");
        }

        return Table[dynamicIndex];
    }

    private static int ReadInteger(ReadOnlySpan<byte> block, ref int position, int prefixBits, string what)
    {
        switch (PrefixInteger.Read(block[position..], prefixBits, out int value, out int consumed))
        {
            case OperationStatus.Done:
                position += consumed;
                return value;
            case OperationStatus.NeedMoreData:
                throw new HpackDecodingException($"HPACK block ends inside {what} at offset {position}");
            default:
                throw new HpackDecodingException(
                    $"HPACK integer for {what} at offset {position} overflows (over {int.MaxValue} " +
                    $"or more than {PrefixInteger.MaxContinuationBytes} continuation bytes)");
        }
    }

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | H |    String Length (7+)     |
    // +---+---------------------------+
    // |  String Data (Length octets)  |
    // +-------------------------------+
    private string ReadString(ReadOnlySpan<byte> block, ref int position, out bool huffman)
    {
        int start = position;
        if (position == block.Length)
        {
            throw new HpackDecodingException($"HPACK block ends before a string literal at offset {position}");
        }

        huffman = (block[position] & 0x80) != 0;
        int length = ReadInteger(block, ref position, 7, "a string length");
        int remaining = block.Length - position;
        if (length > remaining)
        {
            throw new HpackDecodingException(
                $"HPACK string of {length} bytes at offset {start} runs past the end of the block ({remaining} bytes left)");
        }

        ReadOnlySpan<byte> data = block.Slice(position, length);
        position += length;
        if (!huffman)
        {
            return Encoding.Latin1.GetString(data);
        }

        int maxLength = Huffman.GetMaxDecodedLength(length);
        if (_huffmanBuffer.Length < maxLength)
        {
            _huffmanBuffer = new byte[Math.Max(maxLength, _huffmanBuffer.Length * 2)];
        }

        if (!Huffman.TryDecode(data, _huffmanBuffer, out int written, out HuffmanError error))
        {
            string problem = error switch
            {
                HuffmanError.EndOfStringSymbol => "contains the EOS symbol",
                HuffmanError.PaddingTooLong => "has padding longer than 7 bits",
                HuffmanError.PaddingNotEndOfString => "ends with padding that is not all ones",
                _ => "does not decode",
            };
            throw new HpackDecodingException($"HPACK Huffman string at offset {start} {problem} (RFC 7541 Section 5.2)");
        }

        return Encoding.Latin1.GetString(_huffmanBuffer, 0, written);
    }
}
