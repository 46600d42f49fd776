namespace Hxi.Protocols.Quic.Streams;

/// <summary>A set of non-overlapping half-open ranges [Start, End) of longs, kept sorted and merged.</summary>
/// <remarks>Used for stream offsets (what was received, acknowledged, lost) and packet numbers (what to ACK).</remarks>
public sealed class RangeSet
{
    private readonly List<(long Start, long End)> _ranges = [];

    public int Count => _ranges.Count;

    public IReadOnlyList<(long Start, long End)> Ranges => _ranges;

    public bool IsEmpty => _ranges.Count == 0;

    public long Min => _ranges[0].Start;

    /// <summary>The exclusive end of the highest range.</summary>
    public long Max => _ranges[^1].End;

    public void Add(long start, long end)
    {
        if (end <= start)
        {
            return;
        }

        // Find the first range that ends at or after start (it may touch or overlap).
        var index = LowerBound(start);
        while (index < _ranges.Count && _ranges[index].Start <= end)
        {
            start = Math.Min(start, _ranges[index].Start);
            end = Math.Max(end, _ranges[index].End);
            _ranges.RemoveAt(index);
        }

        _ranges.Insert(index, (start, end));
    }

    public void Remove(long start, long end)
    {
        if (end <= start)
        {
            return;
        }

        var index = LowerBound(start + 1) - 1;
        index = Math.Max(index, 0);
        while (index < _ranges.Count && _ranges[index].Start < end)
        {
            var (s, e) = _ranges[index];
            if (e <= start)
            {
                index++;
                continue;
            }

            _ranges.RemoveAt(index);
            if (e > end)
            {
                _ranges.Insert(index, (end, e));
            }

            if (s < start)
            {
                _ranges.Insert(index, (s, start));
                index++;
            }
        }
    }

    public bool Contains(long value)
    {
        // The only candidate is the first range that ends after the value.
        var index = LowerBound(value + 1);
        return index < _ranges.Count && _ranges[index].Start <= value;
    }

    /// <summary>True when every value of [start, end) is in the set.</summary>
    public bool ContainsAll(long start, long end)
    {
        if (end <= start)
        {
            return true;
        }

        var index = LowerBound(start + 1);
        return index < _ranges.Count && _ranges[index].Start <= start && end <= _ranges[index].End;
    }

    /// <summary>Drops the lowest ranges so that at most <paramref name="max"/> remain (bounded ACK state).</summary>
    public void TrimLowest(int max)
    {
        if (_ranges.Count > max)
        {
            _ranges.RemoveRange(0, _ranges.Count - max);
        }
    }

    public void Clear() => _ranges.Clear();

    // Index of the first range whose End >= value.
    private int LowerBound(long value)
    {
        int low = 0, high = _ranges.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_ranges[mid].End < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
