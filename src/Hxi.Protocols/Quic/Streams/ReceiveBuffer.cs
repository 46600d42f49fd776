namespace Hxi.Protocols.Quic.Streams;

/// <summary>
/// The receiving half of a QUIC stream's data (RFC 9000 Sections 2.2, 4.5): frames arrive in any
/// order and overlap; bytes are delivered once, in order. Final size rules are checked here.
/// </summary>
public sealed class ReceiveBuffer
{
    private readonly SortedDictionary<long, byte[]> _pending = [];
    private readonly RangeSet _received = new();

    /// <summary>Offset of the next byte the application will read.</summary>
    public long ReadOffset { get; private set; }

    /// <summary>The highest offset seen so far (for flow control accounting).</summary>
    public long HighestOffset { get; private set; }

    /// <summary>Known once a frame with FIN (or RESET_STREAM) arrives.</summary>
    public long? FinalSize { get; private set; }

    public bool IsComplete => FinalSize is { } size && ReadOffset == size;

    /// <summary>Bytes received but not yet readable: held because of a gap before them.</summary>
    public long BufferedOutOfOrder => _pending.Values.Sum(b => (long)b.Length);

    /// <summary>Adds a frame's data; throws <see cref="QuicStreamDataException"/> when it breaks the final size rules.</summary>
    public void Receive(long offset, ReadOnlySpan<byte> data, bool fin)
    {
        var end = offset + data.Length;
        if (FinalSize is { } finalSize && (end > finalSize || (fin && end != finalSize)))
        {
            throw new QuicStreamDataException($"data up to offset {end} past the final size {finalSize}");
        }

        if (fin)
        {
            if (end < HighestOffset)
            {
                throw new QuicStreamDataException($"final size {end} is below data already received up to {HighestOffset}");
            }

            FinalSize = end;
        }

        HighestOffset = Math.Max(HighestOffset, end);
        if (end <= ReadOffset || data.IsEmpty)
        {
            return;
        }

        // Keep only what is new; the rest was received before.
        var start = Math.Max(offset, ReadOffset);
        var slice = data[(int)(start - offset)..];
        if (_received.ContainsAll(start, end))
        {
            return;
        }

        _received.Add(start, end);
        if (!_pending.TryGetValue(start, out var existing) || existing.Length < slice.Length)
        {
            _pending[start] = slice.ToArray();
        }
    }

    /// <summary>Moves the contiguous bytes at the read offset into <paramref name="destination"/>; returns how many.</summary>
    public int Read(Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length && _pending.Count > 0)
        {
            var (start, bytes) = _pending.First();
            if (start > ReadOffset)
            {
                break;
            }

            _pending.Remove(start);
            var skip = (int)(ReadOffset - start);
            if (skip >= bytes.Length)
            {
                continue;
            }

            var count = Math.Min(bytes.Length - skip, destination.Length - total);
            bytes.AsSpan(skip, count).CopyTo(destination[total..]);
            total += count;
            ReadOffset += count;
            var rest = bytes.Length - skip - count;
            if (rest > 0 && (!_pending.TryGetValue(ReadOffset, out var other) || other.Length < rest))
            {
                _pending[ReadOffset] = bytes[(skip + count)..];
            }
        }

        _received.Remove(0, ReadOffset);
        return total;
    }

    /// <summary>How many bytes <see cref="Read"/> would return now.</summary>
    public long ReadableBytes
    {
        get
        {
            var position = ReadOffset;
            foreach (var (start, bytes) in _pending)
            {
                if (start > position)
                {
                    break;
                }

                position = Math.Max(position, start + bytes.Length);
            }

            return position - ReadOffset;
        }
    }

    /// <summary>RESET_STREAM carries the final size; it must agree with what was seen (Section 4.5).</summary>
    public void Reset(long finalSize)
    {
        if ((FinalSize is { } known && known != finalSize) || finalSize < HighestOffset)
        {
            throw new QuicStreamDataException($"RESET_STREAM final size {finalSize} disagrees with {FinalSize?.ToString() ?? $"data up to {HighestOffset}"}");
        }

        FinalSize = finalSize;
        HighestOffset = finalSize;
        _pending.Clear();
    }
}

/// <summary>Stream data that breaks RFC 9000 Section 4.5; QUIC answers with FINAL_SIZE_ERROR.</summary>
public sealed class QuicStreamDataException(string message) : Exception(message);
