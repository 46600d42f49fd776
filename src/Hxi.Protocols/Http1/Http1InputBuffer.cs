namespace Hxi.Protocols.Http1;

/// <summary>Bytes received but not yet parsed, with a line scanner that never rescans what it has seen.</summary>
/// <remarks>
/// A mark keeps the bytes of a unit (a whole response head, a trailer section) in place while its
/// lines are parsed one at a time, so the wire tap can report the unit as one record.
/// Spans handed out are valid until the next <see cref="Append"/>.
/// </remarks>
internal sealed class Http1InputBuffer
{
#if DEBUG
    // Tiny in Debug builds so that the growth and compaction paths run in every test.
    private const int InitialCapacity = 16;
#else
    private const int InitialCapacity = 4096;
#endif

    private byte[] _bytes = new byte[InitialCapacity];
    private int _start;
    private int _end;
    private int _mark = -1;

    // Unread bytes already searched for LF without finding one: one-byte feeding stays linear.
    private int _scanned;

    public enum LineStatus
    {
        Complete,
        Incomplete,
        TooLong,
    }

    public int Length => _end - _start;

    public ReadOnlySpan<byte> Unread => _bytes.AsSpan(_start, _end - _start);

    public ReadOnlyMemory<byte> UnreadMemory => _bytes.AsMemory(_start, _end - _start);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _bytes.Length - _end)
        {
            MakeRoom(bytes.Length);
        }

        bytes.CopyTo(_bytes.AsSpan(_end));
        _end += bytes.Length;
    }

    public void Consume(int count)
    {
        _start += count;
        _scanned = 0;
        if (_start == _end && _mark < 0)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Takes everything unread, leaving the buffer empty.</summary>
    public byte[] TakeAll()
    {
        var all = Unread.ToArray();
        _start = _end = _scanned = 0;
        _mark = -1;
        return all;
    }

    public void SetMark() => _mark = _start;

    /// <summary>The unit in progress: from the mark (or the read position) to the end of what has arrived.</summary>
    public ReadOnlyMemory<byte> FromMark => _bytes.AsMemory(_mark >= 0 ? _mark : _start, _end - (_mark >= 0 ? _mark : _start));

    /// <summary>The bytes consumed since <see cref="SetMark"/>; clears the mark.</summary>
    public ReadOnlyMemory<byte> TakeMarked()
    {
        var marked = _bytes.AsMemory(_mark, _start - _mark);
        _mark = -1;
        return marked;
    }

    /// <summary>Takes one line ending in LF; a CR just before the LF is dropped from <paramref name="line"/>.</summary>
    /// <param name="maxLength">The longest line allowed, line end excluded.</param>
    /// <param name="lineBytes">Bytes consumed, line end included.</param>
    public LineStatus TryTakeLine(int maxLength, out ReadOnlySpan<byte> line, out int lineBytes)
    {
        var unread = Unread;
        int lf = unread[_scanned..].IndexOf((byte)'\n');
        if (lf < 0)
        {
            _scanned = unread.Length;
            line = default;
            lineBytes = 0;

            // + 1: the last byte may be a CR still waiting for its LF.
            return unread.Length > (long)maxLength + 1 ? LineStatus.TooLong : LineStatus.Incomplete;
        }

        lf += _scanned;
        line = unread[..lf];
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        lineBytes = lf + 1;
        if (line.Length > maxLength)
        {
            return LineStatus.TooLong;
        }

        Consume(lineBytes);
        return LineStatus.Complete;
    }

    private void MakeRoom(int needed)
    {
        int keepFrom = _mark >= 0 ? _mark : _start;
        int kept = _end - keepFrom;
        var target = _bytes;
        if (kept + needed > _bytes.Length)
        {
            target = new byte[Math.Max(_bytes.Length * 2, kept + needed)];
        }

        _bytes.AsSpan(keepFrom, kept).CopyTo(target);
        _bytes = target;
        _start -= keepFrom;
        _end = kept;
        if (_mark >= 0)
        {
            _mark = 0;
        }
    }
}
