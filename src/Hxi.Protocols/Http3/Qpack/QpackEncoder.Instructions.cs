using System.Buffers;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

public sealed partial class QpackEncoder
{
    private readonly ArrayBufferWriter<byte> _encoderStream = new();
    private readonly List<QpackInstructionTrace> _encoderTraces = [];

    /// <summary>Whether <see cref="TransmitEncoderStream"/> has bytes to write.</summary>
    public bool HasEncoderStreamOutput => _encoderStream.WrittenCount > 0;

    /// <summary>Moves the pending encoder-stream instructions to <paramref name="output"/>, with their traces when enabled.</summary>
    public int TransmitEncoderStream(IBufferWriter<byte> output, List<QpackInstructionTrace>? trace = null)
    {
        int count = _encoderStream.WrittenCount;
        output.Write(_encoderStream.WrittenSpan);
        _encoderStream.ResetWrittenCount();
        trace?.AddRange(_encoderTraces);
        _encoderTraces.Clear();
        return count;
    }

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 0 | 1 |   Capacity (5+)   |
    // +---+---+---+-------------------+

    /// <summary>Writes Set Dynamic Table Capacity; the peer's limit and unevictable entries are respected (local misuse throws).</summary>
    public void SetCapacity(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        if (capacity > Math.Min(_capacityCap, _peerMaxTableCapacity))
        {
            throw new InvalidOperationException(
                $"Capacity {capacity} exceeds the limit of {Math.Min(_capacityCap, _peerMaxTableCapacity)} (our cap and the peer's SETTINGS_QPACK_MAX_TABLE_CAPACITY).");
        }

        int excess = Table.Size - capacity;
        if (excess > 0 && Table.EvictableBytes(CanEvict, excess) < excess)
        {
            throw new InvalidOperationException($"Capacity {capacity} would evict entries that are still referenced or unacknowledged.");
        }

        var evicted = TraceEnabled ? new List<QpackTableEntry>() : null;
        Table.SetCapacity(capacity, evicted);
        int start = _encoderStream.WrittenCount;
        WriteInteger(capacity, 5, 0x20);
        AddTrace(QpackInstructionKind.SetDynamicTableCapacity, capacity, false, default, false, false, -1, start, evicted);
    }

    /// <summary>
    /// Inserts <paramref name="field"/> with the cheapest instruction: Insert With Name Reference (static name first,
    /// then the newest dynamic entry with the name) or Insert With Literal Name. False, writing nothing, when it
    /// does not fit without evicting an entry that is referenced or not yet acknowledged (Section 2.1.1).
    /// </summary>
    public bool TryInsert(HeaderField field, out long absoluteIndex)
    {
        absoluteIndex = -1;
        Latin1.Validate(field.Name, nameof(field));
        Latin1.Validate(field.Value, nameof(field));
        if (!Fits(field.HpackSize))
        {
            return false;
        }

        int start = _encoderStream.WrittenCount;
        var value = QpackString.Prepare(field.Value, UseHuffman);
        bool staticName = QpackStaticTable.TryGetNameIndex(field.Name, out int staticIndex);
        QpackInstructionKind kind;
        long nameIndex;
        bool nameHuffman = false;
        long nameAbsolute = -1;
        bool dynamicName = !staticName && Table.TryFindName(field.Name, out nameAbsolute);
        if (staticName || dynamicName)
        {
            //      0   1   2   3   4   5   6   7
            //    +---+---+---+---+---+---+---+---+
            //    | 1 | T |    Name Index (6+)    |
            //    +---+---+-----------------------+
            //    | H |     Value Length (7+)     |
            //    +---+---------------------------+
            //    |  Value String (Length bytes)  |
            //    +-------------------------------+
            kind = QpackInstructionKind.InsertWithNameReference;
            nameIndex = staticName ? staticIndex : Table.InsertCount - nameAbsolute - 1;
            WriteInteger(checked((int)nameIndex), 6, staticName ? (byte)0xc0 : (byte)0x80);
        }
        else
        {
            //      0   1   2   3   4   5   6   7
            //    +---+---+---+---+---+---+---+---+
            //    | 0 | 1 | H | Name Length (5+)  |
            //    +---+---+---+-------------------+
            //    |  Name String (Length bytes)   |
            //    +---+---------------------------+
            kind = QpackInstructionKind.InsertWithLiteralName;
            nameIndex = -1;
            var name = QpackString.Prepare(field.Name, UseHuffman);
            nameHuffman = name.Huffman;
            Span<byte> span = _encoderStream.GetSpan(name.GetByteCount(5));
            _encoderStream.Advance(QpackString.Write(span, name, 5, 0x40));
        }

        Span<byte> valueSpan = _encoderStream.GetSpan(value.GetByteCount(7));
        _encoderStream.Advance(QpackString.Write(valueSpan, value, 7, 0));
        var evicted = TraceEnabled ? new List<QpackTableEntry>() : null;
        absoluteIndex = Table.Insert(field, evicted);
        AddTrace(kind, nameIndex, staticName, field, nameHuffman, value.Huffman, absoluteIndex, start, evicted);
        return true;
    }

    //      0   1   2   3   4   5   6   7
    //    +---+---+---+---+---+---+---+---+
    //    | 0 | 0 | 0 |    Index (5+)     |
    //    +---+---+---+-------------------+

    /// <summary>Re-inserts an existing entry (Duplicate, Section 4.3.4); false when it does not fit.</summary>
    public bool TryDuplicate(long absoluteIndex, out long copy)
    {
        copy = -1;
        if (!Table.TryGet(absoluteIndex, out var field))
        {
            return false;
        }

        // The duplicated entry must survive its own insertion's evictions; hold it while inserting.
        _referenceCounts[absoluteIndex] = _referenceCounts.GetValueOrDefault(absoluteIndex) + 1;
        bool fits = Fits(field.HpackSize);
        if (--_referenceCounts[absoluteIndex] == 0)
        {
            _referenceCounts.Remove(absoluteIndex);
        }
        if (!fits)
        {
            return false;
        }

        int start = _encoderStream.WrittenCount;
        long relative = Table.InsertCount - absoluteIndex - 1;
        WriteInteger(checked((int)relative), 5, 0x00);
        var evicted = TraceEnabled ? new List<QpackTableEntry>() : null;
        copy = Table.Insert(field, evicted);
        AddTrace(QpackInstructionKind.Duplicate, relative, false, field, false, false, copy, start, evicted);
        return true;
    }

    // Section 2.1.1: room must come from evictable entries only.
    private bool Fits(int entrySize)
    {
        if (entrySize > Table.Capacity)
        {
            return false;
        }

        int needed = Table.Size + entrySize - Table.Capacity;
        return needed <= 0 || Table.EvictableBytes(CanEvict, needed) >= needed;
    }

    private void WriteInteger(int value, int prefixBits, byte pattern)
    {
        int length = PrefixInteger.GetByteCount(value, prefixBits);
        PrefixInteger.Write(_encoderStream.GetSpan(length), value, prefixBits, pattern);
        _encoderStream.Advance(length);
    }

    private void AddTrace(
        QpackInstructionKind kind, long value, bool staticName, HeaderField field, bool nameHuffman, bool valueHuffman, long inserted, int start, List<QpackTableEntry>? evicted)
    {
        if (TraceEnabled)
        {
            _encoderTraces.Add(new QpackInstructionTrace(
                kind, value, staticName, field, nameHuffman, valueHuffman, inserted, _encoderStream.WrittenSpan[start..].ToArray(), evicted ?? []));
        }
    }
}
