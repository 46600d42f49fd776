using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

/// <summary>One dynamic table entry with its absolute index (RFC 9204 Section 3.2.4).</summary>
public readonly record struct QpackTableEntry(long AbsoluteIndex, HeaderField Field)
{
    public int Size => Field.HpackSize;
}

/// <summary>
/// The QPACK dynamic table (RFC 9204 Section 3.2): a FIFO of entries addressed by absolute index,
/// the first insertion being 0; bounded in bytes by <see cref="Capacity"/>, each entry costing name + value + 32.
/// </summary>
public sealed class QpackDynamicTable
{
    // Live entries are _entries[_head..]; the dead prefix is dropped in bulk so eviction stays O(1) amortized.
    private readonly List<HeaderField> _entries = [];
    private int _head;

    // Only the encoder searches the table: newest absolute index of a field and of a name.
    private readonly Dictionary<HeaderField, long>? _fieldIndexes;
    private readonly Dictionary<string, long>? _nameIndexes;

    internal QpackDynamicTable(bool supportsLookup)
    {
        if (supportsLookup)
        {
            _fieldIndexes = [];
            _nameIndexes = new Dictionary<string, long>(StringComparer.Ordinal);
        }
    }

    /// <summary>The byte limit set by the last Set Dynamic Table Capacity.</summary>
    public int Capacity { get; private set; }

    /// <summary>The sum of the entries' sizes.</summary>
    public int Size { get; private set; }

    public int Count => _entries.Count - _head;

    /// <summary>Insertions and duplications so far: the next entry's absolute index.</summary>
    public long InsertCount { get; private set; }

    /// <summary>The absolute index of the oldest live entry; everything below it was evicted.</summary>
    public long FirstAbsoluteIndex => InsertCount - Count;

    /// <summary>Live entries, oldest first.</summary>
    public IEnumerable<QpackTableEntry> Entries
    {
        get
        {
            for (int i = _head; i < _entries.Count; i++)
            {
                yield return new QpackTableEntry(FirstAbsoluteIndex + (i - _head), _entries[i]);
            }
        }
    }

    public bool TryGet(long absoluteIndex, out HeaderField field)
    {
        if (absoluteIndex >= FirstAbsoluteIndex && absoluteIndex < InsertCount)
        {
            field = _entries[_head + (int)(absoluteIndex - FirstAbsoluteIndex)];
            return true;
        }

        field = default;
        return false;
    }

    public HeaderField Get(long absoluteIndex) =>
        TryGet(absoluteIndex, out var field) ? field : throw new ArgumentOutOfRangeException(nameof(absoluteIndex));

    /// <summary>The newest entry equal to <paramref name="field"/> (encoder tables only).</summary>
    internal bool TryFind(HeaderField field, out long absoluteIndex)
    {
        absoluteIndex = -1;
        return _fieldIndexes is not null && _fieldIndexes.TryGetValue(field, out absoluteIndex);
    }

    /// <summary>The newest entry named <paramref name="name"/> (encoder tables only).</summary>
    internal bool TryFindName(string name, out long absoluteIndex)
    {
        absoluteIndex = -1;
        return _nameIndexes is not null && _nameIndexes.TryGetValue(name, out absoluteIndex);
    }

    /// <summary>Bytes freed by evicting the oldest entries while <paramref name="canEvict"/> allows, in order.</summary>
    internal int EvictableBytes(Func<long, bool> canEvict, int wanted)
    {
        int freed = 0;
        long absolute = FirstAbsoluteIndex;
        for (int i = _head; i < _entries.Count && freed < wanted; i++, absolute++)
        {
            if (!canEvict(absolute))
            {
                break;
            }

            freed += _entries[i].HpackSize;
        }

        return freed;
    }

    /// <summary>Sets the capacity and evicts down to it; the caller has checked the evictions are allowed.</summary>
    internal void SetCapacity(int capacity, List<QpackTableEntry>? evicted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        EvictUntil(capacity, evicted);
    }

    /// <summary>Appends an entry after evicting the oldest ones that no longer leave room; the caller has checked it fits.</summary>
    internal long Insert(HeaderField field, List<QpackTableEntry>? evicted)
    {
        EvictUntil(Capacity - field.HpackSize, evicted);
        _entries.Add(field);
        Size += field.HpackSize;
        long absolute = InsertCount++;
        if (_fieldIndexes is not null && _nameIndexes is not null)
        {
            _fieldIndexes[field] = absolute;
            _nameIndexes[field.Name] = absolute;
        }

        return absolute;
    }

    private void EvictUntil(int targetSize, List<QpackTableEntry>? evicted)
    {
        while (Size > targetSize && Count > 0)
        {
            long absolute = FirstAbsoluteIndex;
            HeaderField oldest = _entries[_head];
            _entries[_head++] = default;
            Size -= oldest.HpackSize;
            evicted?.Add(new QpackTableEntry(absolute, oldest));

            // Eviction goes oldest first, so a map entry still pointing here has no newer copy.
            if (_fieldIndexes is not null && _fieldIndexes.TryGetValue(oldest, out long f) && f == absolute)
            {
                _fieldIndexes.Remove(oldest);
            }

            if (_nameIndexes is not null && _nameIndexes.TryGetValue(oldest.Name, out long n) && n == absolute)
            {
                _nameIndexes.Remove(oldest.Name);
            }
        }

        if (_head > 32 && _head * 2 > _entries.Count)
        {
            _entries.RemoveRange(0, _head);
            _head = 0;
        }
    }
}
