namespace Hxi.Protocols.Quic.Streams;

/// <summary>
/// The sending half of a QUIC stream's data (RFC 9000 Section 2.2 and 13.3): bytes written by the
/// application, sent in frames, kept until acknowledged, and sent again where a packet was lost.
/// </summary>
/// <remarks>
/// Retransmission resends ranges, not packets: a lost range goes out again in whatever frame comes next.
/// The bytes live in fixed-size chunks rented from the shared pool and given back once acknowledged, so a bulk
/// transfer reuses a few hundred kilobytes instead of allocating (and zeroing) every byte it sends. Every chunk but
/// the last is full, so the chunk holding an offset is found by division.
/// </remarks>
public sealed class SendBuffer
{
    private const int ChunkSize = 16 * 1024;

    private readonly List<byte[]> _chunks = [];
    private readonly RangeSet _acknowledged = new();
    private readonly RangeSet _lost = new();
    private long _chunksStart;   // stream offset of _chunks[0][0]
    private long _chunkBytes;
    private bool _finAcknowledged;
    private bool _finLost;

    /// <summary>Offset one past the last byte written by the application.</summary>
    public long WrittenEnd => _chunksStart + _chunkBytes;

    /// <summary>Offset of the next byte never sent before.</summary>
    public long NextNewOffset { get; private set; }

    public bool FinWritten { get; private set; }

    public bool FinSent { get; private set; }

    /// <summary>Everything, FIN included, has been acknowledged: the sending half is done.</summary>
    public bool IsFullyAcknowledged => FinWritten && _finAcknowledged && _acknowledged.ContainsAll(0, WrittenEnd);

    /// <summary>Bytes written and not yet acknowledged (counted from the first gap in what the peer acknowledged).</summary>
    public long BufferedBytes => WrittenEnd - (!_acknowledged.IsEmpty && _acknowledged.Min == 0 ? _acknowledged.Ranges[0].End : 0);

    public bool HasDataToSend(long flowControlLimit) =>
        !_lost.IsEmpty || (NextNewOffset < WrittenEnd && NextNewOffset < flowControlLimit) || (FinWritten && (!FinSent || _finLost) && NextNewOffset == WrittenEnd);

    public void Write(ReadOnlySpan<byte> data, bool fin)
    {
        if (FinWritten)
        {
            throw new InvalidOperationException("the stream's sending half is already finished");
        }

        var pool = System.Buffers.ArrayPool<byte>.Shared;
        while (!data.IsEmpty)
        {
            var used = (int)(_chunkBytes % ChunkSize);
            if (used == 0)
            {
                // A chunk sized to the write when that is less than a chunk: a request's HEADERS frame is tens of bytes,
                // and a load run keeps a thousand requests in flight.
                _chunks.Add(pool.Rent(Math.Min(ChunkSize, data.Length)));
            }
            else if (_chunks[^1].Length - used < data.Length && _chunks[^1].Length < ChunkSize)
            {
                // The small last chunk grows to a full one, so every chunk but the last stays ChunkSize long and full.
                var full = pool.Rent(ChunkSize);
                _chunks[^1].AsSpan(0, used).CopyTo(full);
                pool.Return(_chunks[^1]);
                _chunks[^1] = full;
            }

            var count = Math.Min(Math.Min(_chunks[^1].Length, ChunkSize) - used, data.Length);
            data[..count].CopyTo(_chunks[^1].AsSpan(used));
            data = data[count..];
            _chunkBytes += count;
        }

        FinWritten |= fin;
    }

    /// <summary>
    /// The next frame's worth: lost ranges first, then new data up to <paramref name="flowControlLimit"/>.
    /// Copies at most <paramref name="maxLength"/> bytes into <paramref name="destination"/>.
    /// </summary>
    public bool TryTakeFrame(int maxLength, long flowControlLimit, Span<byte> destination, out long offset, out int length, out bool fin)
    {
        offset = 0;
        length = 0;
        fin = false;
        if (!_lost.IsEmpty)
        {
            var (start, end) = _lost.Ranges[0];
            length = (int)Math.Min(Math.Min(end - start, maxLength), destination.Length);
            offset = start;
            _lost.Remove(start, start + length);
            Copy(offset, destination[..length]);
            fin = FinWritten && offset + length == WrittenEnd && (_finLost || !FinSent);
            if (fin)
            {
                _finLost = false;
                FinSent = true;
            }

            return true;
        }

        var available = Math.Min(WrittenEnd, flowControlLimit) - NextNewOffset;
        if (available > 0)
        {
            length = (int)Math.Min(Math.Min(available, maxLength), destination.Length);
            offset = NextNewOffset;
            Copy(offset, destination[..length]);
            NextNewOffset += length;
        }
        else if (!(FinWritten && NextNewOffset == WrittenEnd && (!FinSent || _finLost)))
        {
            return false;
        }
        else
        {
            offset = NextNewOffset;
        }

        fin = FinWritten && offset + length == WrittenEnd;
        if (fin)
        {
            FinSent = true;
            _finLost = false;
        }

        return true;
    }

    public void OnAcknowledged(long offset, int length, bool fin)
    {
        _acknowledged.Add(offset, offset + length);
        _lost.Remove(offset, offset + length);
        _finAcknowledged |= fin;
        ReleaseAcknowledgedPrefix();
    }

    public void OnLost(long offset, int length, bool fin)
    {
        // Only what is still unacknowledged needs sending again.
        _lost.Add(offset, offset + length);
        foreach (var (start, end) in _acknowledged.Ranges)
        {
            _lost.Remove(start, end);
        }

        _finLost |= fin && !_finAcknowledged;
    }

    private void ReleaseAcknowledgedPrefix()
    {
        if (FinWritten && _chunks.Count > 0 && _acknowledged.ContainsAll(_chunksStart, WrittenEnd))
        {
            // All written and all acknowledged: nothing can be sent again, so every chunk, the last one too, goes back now
            // rather than with the stream (a request stream lives on until its response is read).
            foreach (var chunk in _chunks)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
            }

            _chunks.Clear();
            _chunksStart = WrittenEnd;
            _chunkBytes = 0;
            return;
        }

        // Only full chunks go (a partly written last one stays, to be filled), so every chunk but the last stays full.
        while (_chunkBytes > ChunkSize && _acknowledged.ContainsAll(_chunksStart, _chunksStart + ChunkSize))
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(_chunks[0]);
            _chunks.RemoveAt(0);
            _chunksStart += ChunkSize;
            _chunkBytes -= ChunkSize;
        }
    }

    private void Copy(long offset, Span<byte> destination)
    {
        var relative = offset - _chunksStart;
        var index = (int)(relative / ChunkSize);
        var start = (int)(relative % ChunkSize);
        var written = 0;
        while (written < destination.Length)
        {
            var count = Math.Min(ChunkSize - start, destination.Length - written);
            _chunks[index].AsSpan(start, count).CopyTo(destination[written..]);
            written += count;
            index++;
            start = 0;
        }
    }
}
