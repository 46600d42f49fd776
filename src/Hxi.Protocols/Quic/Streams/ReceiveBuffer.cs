namespace Hxi.Protocols.Quic.Streams;

/// <summary>
/// The receiving half of a QUIC stream's data (RFC 9000 Sections 2.2, 4.5): frames arrive in any
/// order and overlap; bytes are delivered once, in order. Final size rules are checked here.
/// </summary>
/// <remarks>
/// Almost every frame continues where the last one ended, so those bytes go straight into one contiguous
/// buffer that the reader drains; only frames that arrive ahead of a gap are kept apart (a copy each) until
/// the gap fills. The buffer holds at most what flow control lets the peer send beyond the read offset.
/// </remarks>
public sealed class ReceiveBuffer
{
    private const int InitialCapacity = 4096;

    private readonly SortedDictionary<long, byte[]> _ahead = [];
    private readonly RangeSet _aheadRanges = new();
    private byte[] _ready = [];
    private int _readyStart;
    private int _readyEnd;

    /// <summary>Offset of the next byte the application will read.</summary>
    public long ReadOffset { get; private set; }

    /// <summary>The highest offset seen so far (for flow control accounting).</summary>
    public long HighestOffset { get; private set; }

    /// <summary>Known once a frame with FIN (or RESET_STREAM) arrives.</summary>
    public long? FinalSize { get; private set; }

    public bool IsComplete => FinalSize is { } size && ReadOffset == size;

    /// <summary>Bytes received but not yet readable: held because of a gap before them.</summary>
    public long BufferedOutOfOrder => _ahead.Values.Sum(b => (long)b.Length);

    /// <summary>How many bytes <see cref="Read"/> would return now.</summary>
    public long ReadableBytes => _readyEnd - _readyStart;

    /// <summary>The end of the bytes received without a gap: where the next in-order frame starts.</summary>
    private long ContiguousEnd => ReadOffset + (_readyEnd - _readyStart);

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
        var contiguousEnd = ContiguousEnd;
        if (end <= contiguousEnd || data.IsEmpty)
        {
            return; // received before
        }

        if (offset <= contiguousEnd)
        {
            Append(data[(int)(contiguousEnd - offset)..]);
            TakeAheadFramesThatFit();
            return;
        }

        if (_aheadRanges.ContainsAll(offset, end))
        {
            return;
        }

        _aheadRanges.Add(offset, end);
        if (!_ahead.TryGetValue(offset, out var existing) || existing.Length < data.Length)
        {
            _ahead[offset] = data.ToArray();
        }
    }

    /// <summary>Moves the contiguous bytes at the read offset into <paramref name="destination"/>; returns how many.</summary>
    public int Read(Span<byte> destination)
    {
        var count = Math.Min(_readyEnd - _readyStart, destination.Length);
        _ready.AsSpan(_readyStart, count).CopyTo(destination);
        _readyStart += count;
        ReadOffset += count;
        if (_readyStart == _readyEnd)
        {
            _readyStart = _readyEnd = 0;
        }

        return count;
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
        _ahead.Clear();
        _aheadRanges.Remove(0, long.MaxValue);
        _ready = [];
        _readyStart = _readyEnd = 0;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_readyEnd + bytes.Length > _ready.Length)
        {
            MakeRoom(bytes.Length);
        }

        bytes.CopyTo(_ready.AsSpan(_readyEnd));
        _readyEnd += bytes.Length;
    }

    private void MakeRoom(int needed)
    {
        var live = _readyEnd - _readyStart;
        // The first buffer is sized to what arrived, up to InitialCapacity: most request and response streams carry
        // one small frame, and a load run keeps a thousand streams open. Larger streams grow by doubling.
        var target = _ready.Length == 0 ? Math.Min(InitialCapacity, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, needed))) : _ready.Length;
        while (target < live + needed)
        {
            target = Math.Max(InitialCapacity, target * 2);
        }

        var destination = target == _ready.Length ? _ready : new byte[target];
        Buffer.BlockCopy(_ready, _readyStart, destination, 0, live);
        _ready = destination;
        _readyStart = 0;
        _readyEnd = live;
    }

    /// <summary>A gap just filled: frames that waited behind it join the contiguous bytes.</summary>
    private void TakeAheadFramesThatFit()
    {
        while (_ahead.Count > 0)
        {
            var (start, bytes) = _ahead.First();
            var contiguousEnd = ContiguousEnd;
            if (start > contiguousEnd)
            {
                break;
            }

            _ahead.Remove(start);
            if (start + bytes.Length > contiguousEnd)
            {
                Append(bytes.AsSpan((int)(contiguousEnd - start)));
            }
        }

        _aheadRanges.Remove(0, ContiguousEnd);
    }
}

/// <summary>Stream data that breaks RFC 9000 Section 4.5; QUIC answers with FINAL_SIZE_ERROR.</summary>
public sealed class QuicStreamDataException(string message) : Exception(message);
