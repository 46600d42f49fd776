using System.Buffers;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

public sealed partial class QpackDecoder
{
    // Bytes of an instruction split across reads; bounded because each string is checked against the capacity.
    private byte[] _encoderInput = [];
    private int _encoderInputLength;

    /// <summary>
    /// Applies encoder-stream bytes (RFC 9204 Section 4.3); an instruction may be split anywhere across calls.
    /// Sections blocked on the new inserts become available from <see cref="TryPollUnblocked"/>.
    /// </summary>
    /// <exception cref="QpackException">QPACK_ENCODER_STREAM_ERROR for a bad instruction; QPACK_DECOMPRESSION_FAILED from an unblocked section.</exception>
    public void ReceiveEncoderStream(ReadOnlySpan<byte> data, List<QpackInstructionTrace>? trace = null)
    {
        if (_encoderInputLength == 0)
        {
            int consumed = ApplyInstructions(data, trace);
            Keep(data[consumed..]);
        }
        else
        {
            Keep(data);
            int consumed = ApplyInstructions(_encoderInput.AsSpan(0, _encoderInputLength), trace);
            _encoderInput.AsSpan(consumed, _encoderInputLength - consumed).CopyTo(_encoderInput);
            _encoderInputLength -= consumed;
        }

        ReleaseUnblocked();
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        if (_encoderInputLength + data.Length > _encoderInput.Length)
        {
            Array.Resize(ref _encoderInput, Math.Max(_encoderInputLength + data.Length, Math.Max(64, _encoderInput.Length * 2)));
        }

        data.CopyTo(_encoderInput.AsSpan(_encoderInputLength));
        _encoderInputLength += data.Length;
    }

    private int ApplyInstructions(ReadOnlySpan<byte> data, List<QpackInstructionTrace>? trace)
    {
        int position = 0;
        while (position < data.Length && TryApplyInstruction(data[position..], trace, out int consumed))
        {
            position += consumed;
        }

        return position;
    }

    private bool TryApplyInstruction(ReadOnlySpan<byte> data, List<QpackInstructionTrace>? trace, out int consumed)
    {
        byte first = data[0];
        List<QpackTableEntry>? evicted = trace is null ? null : [];
        consumed = 0;

        // Huffman can spend up to 30 bits on a byte, so an encoded string of a valid entry is under 4x the capacity.
        int maxStringLength = 4 * Table.Capacity;
        if ((first & 0x80) != 0)
        {
            //      0   1   2   3   4   5   6   7
            //    +---+---+---+---+---+---+---+---+
            //    | 1 | T |    Name Index (6+)    |
            //    +---+---+-----------------------+
            //    | H |     Value Length (7+)     |
            //    +---+---------------------------+
            //    |  Value String (Length bytes)  |
            //    +-------------------------------+
            bool isStatic = (first & 0x40) != 0;
            if (!TryReadInteger(data, 6, out long index, out int indexBytes)
                || !TryReadString(data[indexBytes..], 7, maxStringLength, out string value, out bool valueHuffman, out int valueBytes))
            {
                return false;
            }

            consumed = indexBytes + valueBytes;
            string name = isStatic ? StaticName(index) : DynamicEntry(index, "Insert With Name Reference").Name;
            long inserted = InsertEntry(new HeaderField(name, value), evicted);
            trace?.Add(new QpackInstructionTrace(
                QpackInstructionKind.InsertWithNameReference, index, isStatic, new HeaderField(name, value), false, valueHuffman, inserted, data[..consumed].ToArray(), evicted!));
            return true;
        }

        if ((first & 0x40) != 0)
        {
            //      0   1   2   3   4   5   6   7
            //    +---+---+---+---+---+---+---+---+
            //    | 0 | 1 | H | Name Length (5+)  |
            //    +---+---+---+-------------------+
            //    |  Name String (Length bytes)   |
            //    +---+---------------------------+
            //    | H |     Value Length (7+)     |
            //    +---+---------------------------+
            //    |  Value String (Length bytes)  |
            //    +-------------------------------+
            if (!TryReadString(data, 5, maxStringLength, out string name, out bool nameHuffman, out int nameBytes)
                || !TryReadString(data[nameBytes..], 7, maxStringLength, out string value, out bool valueHuffman, out int valueBytes))
            {
                return false;
            }

            consumed = nameBytes + valueBytes;
            var field = new HeaderField(name, value);
            long inserted = InsertEntry(field, evicted);
            trace?.Add(new QpackInstructionTrace(
                QpackInstructionKind.InsertWithLiteralName, -1, false, field, nameHuffman, valueHuffman, inserted, data[..consumed].ToArray(), evicted!));
            return true;
        }

        if ((first & 0x20) != 0)
        {
            //   0   1   2   3   4   5   6   7
            // +---+---+---+---+---+---+---+---+
            // | 0 | 0 | 1 |   Capacity (5+)   |
            // +---+---+---+-------------------+
            if (!TryReadInteger(data, 5, out long capacity, out consumed))
            {
                return false;
            }

            if (capacity > MaxTableCapacity)
            {
                throw EncoderStreamError($"Set Dynamic Table Capacity {capacity} exceeds our SETTINGS_QPACK_MAX_TABLE_CAPACITY of {MaxTableCapacity}");
            }

            Table.SetCapacity((int)capacity, evicted);
            trace?.Add(new QpackInstructionTrace(
                QpackInstructionKind.SetDynamicTableCapacity, capacity, false, default, false, false, -1, data[..consumed].ToArray(), evicted!));
            return true;
        }

        {
            //      0   1   2   3   4   5   6   7
            //    +---+---+---+---+---+---+---+---+
            //    | 0 | 0 | 0 |    Index (5+)     |
            //    +---+---+---+-------------------+
            if (!TryReadInteger(data, 5, out long index, out consumed))
            {
                return false;
            }

            var field = DynamicEntry(index, "Duplicate");
            long inserted = InsertEntry(field, evicted);
            trace?.Add(new QpackInstructionTrace(
                QpackInstructionKind.Duplicate, index, false, field, false, false, inserted, data[..consumed].ToArray(), evicted!));
            return true;
        }
    }

    private long InsertEntry(HeaderField field, List<QpackTableEntry>? evicted)
    {
        if (field.HpackSize > Table.Capacity)
        {
            throw EncoderStreamError($"entry \"{field.Name}\" of {field.HpackSize} bytes does not fit the table capacity of {Table.Capacity}");
        }

        return Table.Insert(field, evicted);
    }

    private static string StaticName(long index) =>
        index < QpackStaticTable.Count ? QpackStaticTable.Get((int)index).Name
        : throw EncoderStreamError($"static table index {index} is past the last entry ({QpackStaticTable.Count - 1})");

    // Encoder instructions use relative indexes from the Insert Count (Section 3.2.5).
    private HeaderField DynamicEntry(long relativeIndex, string instruction)
    {
        long absolute = Table.InsertCount - relativeIndex - 1;
        return Table.TryGet(absolute, out var field) ? field
            : throw EncoderStreamError($"{instruction} refers to relative index {relativeIndex} (absolute {absolute}), which is not in the table");
    }

    private static bool TryReadInteger(ReadOnlySpan<byte> data, int prefixBits, out long value, out int consumed)
    {
        value = 0;
        switch (PrefixInteger.Read(data, prefixBits, out int read, out consumed))
        {
            case OperationStatus.Done:
                value = read;
                return true;
            case OperationStatus.NeedMoreData:
                return false;
            default:
                throw EncoderStreamError("integer overflows");
        }
    }

    private static bool TryReadString(
        ReadOnlySpan<byte> data, int prefixBits, int maxLength, out string text, out bool huffman, out int consumed) =>
        QpackString.Read(data, prefixBits, Http3ErrorCode.QpackEncoderStreamError, maxLength, out text, out huffman, out consumed)
            == OperationStatus.Done;

    private static QpackException EncoderStreamError(string reason) => new(Http3ErrorCode.QpackEncoderStreamError, reason);
}
