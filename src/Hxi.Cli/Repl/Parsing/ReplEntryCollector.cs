using System.Text;

namespace Hxi.Cli.Repl.Parsing;

/// <summary>
/// Gathers the lines of one entry: a single command line, or a typed request (request line, header
/// lines up to an empty line, then as many body lines as Content-Length or chunked framing asks for).
/// </summary>
public sealed class ReplEntryCollector
{
    private readonly List<string> _lines = [];
    private State _state = State.Start;
    private long _bodyRemaining;
    private bool _typed;

    private enum State
    {
        Start,
        Head,
        Body,
        ChunkedBody,
        Done,
    }

    /// <summary>True while an entry has begun and needs more lines (the prompt becomes "...").</summary>
    public bool InProgress => _state is State.Head or State.Body or State.ChunkedBody;

    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Adds a line; true when the entry is complete and <see cref="Lines"/> holds it.</summary>
    public bool Add(string line)
    {
        if (_state == State.Done)
        {
            _lines.Clear();
            _state = State.Start;
        }

        _lines.Add(line);
        switch (_state)
        {
            case State.Start:
                _typed = ReplParser.IsRequestLine(line);
                _state = ReplParser.StartsMultiLineEntry(line) ? State.Head : State.Done;
                break;
            case State.Head when line.Length == 0:
                StartBody();
                break;
            case State.Body:
                _bodyRemaining -= Encoding.UTF8.GetByteCount(line) + (_lines.Count > HeadLineCount() + 1 ? 2 : 0);
                _state = _bodyRemaining <= 0 ? State.Done : State.Body;
                break;
            case State.ChunkedBody:
                // The last chunk is "0" and the (trailer-less) chunked body ends with the empty line after it.
                _state = line.Length == 0 && _lines.Count >= 2 && _lines[^2].Trim() == "0" ? State.Done : State.ChunkedBody;
                break;
        }

        return _state == State.Done;
    }

    /// <summary>Drops a half-typed entry (Ctrl-C, or a bad line in the middle of it).</summary>
    public void Reset()
    {
        _lines.Clear();
        _state = State.Start;
    }

    private void StartBody()
    {
        var headerLines = _lines.Skip(1).Take(_lines.Count - 2).ToList();
        long? expected;
        try
        {
            expected = _typed ? TypedRequestParser.ExpectedBodyLength(headerLines) : 0;
        }
        catch (ReplInputException)
        {
            // The parser reports the bad header line with the whole entry in view.
            expected = 0;
        }

        (_state, _bodyRemaining) = expected switch
        {
            null => (State.ChunkedBody, 0L),
            > 0 => (State.Body, expected.Value),
            _ => (State.Done, 0L),
        };
    }

    private int HeadLineCount() => _lines.IndexOf("") + 1;
}
