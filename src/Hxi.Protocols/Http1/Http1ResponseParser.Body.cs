using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http1;

/// <summary>Body framing: Content-Length, read-until-close and chunked with trailers.</summary>
public sealed partial class Http1ResponseParser
{
    private long _bodyLength;
    private long _bodyRemaining;

    private bool ReadContentLengthBody()
    {
        if (!TryEmitBody(_bodyRemaining))
        {
            return false;
        }

        if (_bodyRemaining == 0)
        {
            Complete([], ReadOnlyMemory<byte>.Empty);
        }

        return true;
    }

    private bool ReadUntilCloseBody() => TryEmitBody(long.MaxValue);

    // Hands out up to 'limit' unread bytes as body data; false when there are none.
    private bool TryEmitBody(long limit)
    {
        var unread = _input.Unread;
        if (unread.IsEmpty)
        {
            return false;
        }

        int count = (int)Math.Min(unread.Length, limit);
        var data = unread[..count].ToArray();
        _input.Consume(count);
        _bodyRemaining -= count;
        Emit(new Http1BodyDataReceived(data), data);
        return true;
    }

    private bool ReadChunkSizeLine()
    {
        _input.SetMark();
        switch (_input.TryTakeLine(_limits.MaxChunkSizeLineLength, out var line, out _))
        {
            case Http1InputBuffer.LineStatus.Incomplete:
                return false;
            case Http1InputBuffer.LineStatus.TooLong:
                throw new Http1ProtocolException($"chunk size line longer than {_limits.MaxChunkSizeLineLength} bytes");
        }

        var (size, extensions) = Http1ChunkLine.Parse(line);
        Emit(new Http1ChunkStarted(size, extensions), _input.TakeMarked());
        if (size == 0)
        {
            _fields = [];
            _sectionBytes = 0;
            _input.SetMark();
            _state = State.TrailerSection;
        }
        else
        {
            _bodyRemaining = size;
            _state = State.ChunkData;
        }

        return true;
    }

    private bool ReadChunkData()
    {
        if (!TryEmitBody(_bodyRemaining))
        {
            return false;
        }

        if (_bodyRemaining == 0)
        {
            _state = State.ChunkDataEnd;
        }

        return true;
    }

    // chunk-data is followed by CRLF (a bare LF is tolerated as for every line end).
    private bool ReadChunkDataEnd()
    {
        var unread = _input.Unread;
        if (unread.IsEmpty || (unread[0] == (byte)'\r' && unread.Length == 1))
        {
            return false;
        }

        int length = unread[0] == (byte)'\n' ? 1
            : unread[0] != (byte)'\r' ? throw MissingCrlf(unread[..1])
            : unread[1] == (byte)'\n' ? 2
            : throw MissingCrlf(unread[..2]);

        ConsumeUndecoded(length);
        _state = State.ChunkSizeLine;
        return true;
    }

    private static Http1ProtocolException MissingCrlf(ReadOnlySpan<byte> found) =>
        new($"missing CRLF after chunk data: found '{Http1Syntax.Show(found)}'");

    // trailer-section = *( field-line CRLF ) CRLF, after the last chunk (RFC 9112 Section 7.1.2).
    private bool ReadTrailerLine()
    {
        if (!TryReadFieldLine(_limits.MaxTrailerBytes, "trailer", out bool sectionEnded))
        {
            return false;
        }

        if (sectionEnded)
        {
            IReadOnlyList<HeaderField> trailers = _fields;
            Complete(trailers, _input.TakeMarked());
        }

        return true;
    }
}
