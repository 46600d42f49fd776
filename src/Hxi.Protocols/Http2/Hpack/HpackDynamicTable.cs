using System.Collections;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http2.Hpack;

/// <summary>The dynamic table of RFC 7541 Section 2.3.2: newest entry first, evicted oldest first, bounded by size.</summary>
public sealed class HpackDynamicTable : IReadOnlyList<HeaderField>
{
    // Entries are at least 32 bytes, so the default 4096-byte table holds at most 128; start small and grow.
    private const int InitialCapacity = 16;

    private HeaderField[] _ring = new HeaderField[InitialCapacity];
    private int _newest;

    // Only the encoder asks "is this field in the table?"; it keeps these maps from a field or a name
    // to the insertion number of its newest copy. Index = _insertedCount - 1 - insertion number.
    private readonly Dictionary<HeaderField, long>? _fieldInsertions;
    private readonly Dictionary<string, long>? _nameInsertions;
    private long _insertedCount;

    internal HpackDynamicTable(int maxSize, bool supportsLookup = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        MaxSize = maxSize;
        if (supportsLookup)
        {
            _fieldInsertions = [];
            _nameInsertions = new Dictionary<string, long>(StringComparer.Ordinal);
        }
    }

    public int Count { get; private set; }

    /// <summary>The sum of the entries' <see cref="HeaderField.HpackSize"/>.</summary>
    public int Size { get; private set; }

    /// <summary>The size limit currently in force, as set by the last dynamic table size update.</summary>
    public int MaxSize { get; private set; }

    /// <summary>The entry at a 0-based position, 0 being the most recently inserted (HPACK index 62).</summary>
    public HeaderField this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _ring[(_newest + index) % _ring.Length];
        }
    }

    public IEnumerator<HeaderField> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Adds an entry at the front after evicting what no longer fits (RFC 7541 Section 4.4); an entry larger
    /// than <see cref="MaxSize"/> empties the table and is not added. Evicted entries are appended to <paramref name="evicted"/>.
    /// </summary>
    internal void Insert(HeaderField field, List<HeaderField>? evicted)
    {
        int entrySize = field.HpackSize;
        if (entrySize > MaxSize)
        {
            EvictUntil(0, evicted);
            return;
        }

        EvictUntil(MaxSize - entrySize, evicted);
        if (Count == _ring.Length)
        {
            Grow();
        }

        _newest = (_newest - 1 + _ring.Length) % _ring.Length;
        _ring[_newest] = field;
        Count++;
        Size += entrySize;
        long insertion = _insertedCount++;
        if (_fieldInsertions is not null && _nameInsertions is not null)
        {
            _fieldInsertions[field] = insertion;
            _nameInsertions[field.Name] = insertion;
        }
    }

    /// <summary>Applies a dynamic table size update, evicting down to the new size (RFC 7541 Section 4.3).</summary>
    internal void SetMaxSize(int maxSize, List<HeaderField>? evicted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        MaxSize = maxSize;
        EvictUntil(maxSize, evicted);
    }

    /// <summary>The 0-based position of the newest entry equal to <paramref name="field"/>.</summary>
    internal bool TryFind(HeaderField field, out int index)
    {
        if (_fieldInsertions is not null && _fieldInsertions.TryGetValue(field, out long insertion))
        {
            index = (int)(_insertedCount - 1 - insertion);
            return true;
        }

        index = -1;
        return false;
    }

    /// <summary>The 0-based position of the newest entry named <paramref name="name"/>.</summary>
    internal bool TryFindName(string name, out int index)
    {
        if (_nameInsertions is not null && _nameInsertions.TryGetValue(name, out long insertion))
        {
            index = (int)(_insertedCount - 1 - insertion);
            return true;
        }

        index = -1;
        return false;
    }

    private void EvictUntil(int targetSize, List<HeaderField>? evicted)
    {
        while (Size > targetSize)
        {
            int oldestSlot = (_newest + Count - 1) % _ring.Length;
            HeaderField oldest = _ring[oldestSlot];
            _ring[oldestSlot] = default;
            long insertion = _insertedCount - Count;
            Count--;
            Size -= oldest.HpackSize;
            evicted?.Add(oldest);

            // Eviction goes oldest first, so if the map still points here no newer copy exists.
            if (_fieldInsertions is not null && _fieldInsertions.TryGetValue(oldest, out long fieldInsertion) && fieldInsertion == insertion)
            {
                _fieldInsertions.Remove(oldest);
            }

            if (_nameInsertions is not null && _nameInsertions.TryGetValue(oldest.Name, out long nameInsertion) && nameInsertion == insertion)
            {
                _nameInsertions.Remove(oldest.Name);
            }
        }
    }

    private void Grow()
    {
        var larger = new HeaderField[_ring.Length * 2];
        for (int i = 0; i < Count; i++)
        {
            larger[i] = _ring[(_newest + i) % _ring.Length];
        }

        _ring = larger;
        _newest = 0;
    }
}
