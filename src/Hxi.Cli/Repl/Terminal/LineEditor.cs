using System.Text;
using System.Text.RegularExpressions;

namespace Hxi.Cli.Repl.Terminal;

/// <summary>
/// A small line editor on <see cref="Console.ReadKey(bool)"/>: editing keys, history, tab completion,
/// and the one thing the REPL cannot do without, printing asynchronous output above the prompt while
/// keeping the half-typed line intact.
/// </summary>
/// <remarks>
/// Why not RadLine 0.6.0 (the NuGet line editor for .NET): it has no way to print above a line being
/// edited (its rendering state is private and ReadLine owns the console until Enter), and it pulls in
/// Spectre.Console 0.43, a version this project does not use. Printing above the prompt needs only
/// the editor's own state: clear the rows the prompt and buffer occupy, print, draw them again and
/// put the cursor back, all under one lock, which is what <see cref="PrintAbove"/> does.
/// </remarks>
public sealed partial class LineEditor(TextWriter terminal, ReplHistory history) : IReplInput
{
    private readonly Lock _gate = new();
    private readonly LineBuffer _buffer = new();
    private string _prompt = "";
    private int _promptWidth;
    private int _cursorRow;
    private bool _reading;
    private int _historyIndex;
    private string _draft = "";

    // Ctrl-C on an empty line arms this; a second Ctrl-C in a row ends the session, any other key disarms it.
    private bool _quitArmed;

    public bool IsInteractive => true;

    public Task<ReplLine> ReadLineAsync(string prompt, CancellationToken ct) =>
        Task.Factory.StartNew(() => ReadLine(prompt), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Prints whole lines above the prompt; the line being typed is drawn again below them.</summary>
    public void PrintAbove(string lines)
    {
        lock (_gate)
        {
            if (!_reading)
            {
                terminal.Write(lines);
                terminal.Flush();
                return;
            }

            ClearInput();
            terminal.Write(lines.Replace("\r\n", "\n").Replace("\n", "\r\n"));
            Render();
        }
    }

    /// <summary>
    /// Ctrl-C at the prompt (the signal, or the key where it arrives as one), as bash and psql answer it: a typed line
    /// is dropped and a fresh prompt drawn; on an empty line the first press says how to leave, the second leaves.
    /// </summary>
    /// <returns>True when the session should end; false when the line was cleared (or no line is being read).</returns>
    public bool Interrupt()
    {
        lock (_gate)
        {
            if (!_reading)
            {
                return false;
            }

            if (CancelLine())
            {
                _reading = false;
                return true;
            }

            Render();
            return false;
        }
    }

    private ReplLine ReadLine(string prompt)
    {
        lock (_gate)
        {
            _prompt = prompt;
            _promptWidth = VisibleWidth(prompt);
            _buffer.Set("");
            _cursorRow = 0;
            _historyIndex = history.Entries.Count;
            _reading = true;
            Render();
        }

        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            lock (_gate)
            {
                if (Handle(key) is { } done)
                {
                    // A second Ctrl-C has drawn its own line already.
                    if (done.Kind != ReplLineKind.Interrupted)
                    {
                        _buffer.End();
                        ClearInput();
                        terminal.Write(_prompt + _buffer.Text + "\r\n");
                        terminal.Flush();
                    }

                    _reading = false;
                    if (done.Kind == ReplLineKind.Text)
                    {
                        history.Add(done.Text);
                    }

                    return done;
                }

                Render();
            }
        }
    }

    /// <summary>Applies one key; a result ends the line.</summary>
    private ReplLine? Handle(ConsoleKeyInfo key)
    {
        var control = (key.Modifiers & ConsoleModifiers.Control) != 0;
        var alt = (key.Modifiers & ConsoleModifiers.Alt) != 0;
        // Control keys arrive as their ASCII control characters on some terminals and as Ctrl+letter on others.
        var letter = key.KeyChar is >= '\x01' and <= '\x1a' ? (char)('a' + key.KeyChar - 1)
            : control && key.Key is >= ConsoleKey.A and <= ConsoleKey.Z ? (char)('a' + (key.Key - ConsoleKey.A))
            : '\0';
        if (letter != 'c')
        {
            _quitArmed = false;
        }

        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return new ReplLine(ReplLineKind.Text, _buffer.Text);
            case ConsoleKey.Backspace:
                _buffer.Backspace();
                return null;
            case ConsoleKey.Delete:
                _buffer.Delete();
                return null;
            case ConsoleKey.LeftArrow when control || alt:
                _buffer.WordLeft();
                return null;
            case ConsoleKey.RightArrow when control || alt:
                _buffer.WordRight();
                return null;
            case ConsoleKey.LeftArrow:
                _buffer.Left();
                return null;
            case ConsoleKey.RightArrow:
                _buffer.Right();
                return null;
            case ConsoleKey.Home:
                _buffer.Home();
                return null;
            case ConsoleKey.End:
                _buffer.End();
                return null;
            case ConsoleKey.UpArrow:
                Recall(-1);
                return null;
            case ConsoleKey.DownArrow:
                Recall(+1);
                return null;
            case ConsoleKey.Tab:
                Complete();
                return null;
        }

        switch (letter)
        {
            case 'a': _buffer.Home(); return null;
            case 'e': _buffer.End(); return null;
            case 'b': _buffer.Left(); return null;
            case 'f': _buffer.Right(); return null;
            case 'k': _buffer.KillToEnd(); return null;
            case 'u': _buffer.KillToStart(); return null;
            case 'w': _buffer.DeleteWordBefore(); return null;
            case 'p': Recall(-1); return null;
            case 'n': Recall(+1); return null;
            case 'c': return CancelLine() ? ReplLine.Interrupted : null;
            case 'd' when _buffer.Length == 0: return ReplLine.EndOfInput;
            case 'd': _buffer.Delete(); return null;
            case 'l':
                terminal.Write("\x1b[H\x1b[2J");
                _cursorRow = 0;
                return null;
        }

        if (key.KeyChar >= ' ' && key.KeyChar != '\x7f')
        {
            _buffer.Insert(key.KeyChar.ToString());
        }

        return null;
    }

    /// <summary>Drops the typed line, leaving it on screen marked ^C; true when this was the second Ctrl-C on an empty line.</summary>
    private bool CancelLine()
    {
        if (_buffer.Length == 0 && _quitArmed)
        {
            ClearInput();
            terminal.Write(_prompt + "^C\r\n");
            terminal.Flush();
            return true;
        }

        _quitArmed = _buffer.Length == 0;
        _buffer.End();
        ClearInput();
        terminal.Write(_prompt + _buffer.Text + "^C\r\n");
        if (_quitArmed)
        {
            terminal.Write("; Ctrl-C again (or Ctrl-D, or quit) ends the session\r\n");
        }

        _buffer.Set("");
        _historyIndex = history.Entries.Count;
        return false;
    }

    private void Recall(int direction)
    {
        var entries = history.Entries;
        var next = Math.Clamp(_historyIndex + direction, 0, entries.Count);
        if (next == _historyIndex)
        {
            return;
        }

        if (_historyIndex == entries.Count)
        {
            _draft = _buffer.Text;
        }

        _historyIndex = next;
        _buffer.Set(next == entries.Count ? _draft : entries[next]);
    }

    private void Complete()
    {
        var (start, candidates) = ReplCompleter.Complete(_buffer.BeforeCursor);
        var typed = _buffer.BeforeCursor[start..];
        if (candidates.Count == 0)
        {
            return;
        }

        var prefix = ReplCompleter.CommonPrefix(candidates);
        if (candidates.Count == 1)
        {
            Replace(typed.Length, candidates[0] + (candidates[0].EndsWith('=') ? "" : " "));
        }
        else if (prefix.Length > typed.Length)
        {
            Replace(typed.Length, prefix);
        }
        else
        {
            ClearInput();
            terminal.Write(string.Join("  ", candidates) + "\r\n");
        }
    }

    /// <summary>Swaps the word being completed (the last <paramref name="length"/> characters before the cursor) for <paramref name="text"/>.</summary>
    private void Replace(int length, string text)
    {
        for (var i = 0; i < length; i++)
        {
            _buffer.Backspace();
        }

        _buffer.Insert(text);
    }

    /// <summary>Moves to the first row of the prompt and clears it and everything below.</summary>
    private void ClearInput()
    {
        var text = new StringBuilder("\r");
        if (_cursorRow > 0)
        {
            text.Append($"\x1b[{_cursorRow}A");
        }

        text.Append("\x1b[J");
        terminal.Write(text.ToString());
        _cursorRow = 0;
    }

    /// <summary>Draws prompt and buffer from the current (cleared) row and places the cursor, wrapping at the terminal width.</summary>
    private void Render()
    {
        ClearInput();
        var width = TerminalWidth();
        var total = _promptWidth + _buffer.Length;
        var text = new StringBuilder(_prompt).Append(_buffer.Text);
        // At an exact multiple of the width the terminal holds the cursor in the last column; force the wrap.
        if (total > 0 && total % width == 0)
        {
            text.Append("\r\n");
        }

        var endRow = total / width;
        var cursor = _promptWidth + _buffer.Cursor;
        var cursorRow = cursor / width;
        if (endRow > cursorRow)
        {
            text.Append($"\x1b[{endRow - cursorRow}A");
        }

        text.Append('\r');
        if (cursor % width > 0)
        {
            text.Append($"\x1b[{cursor % width}C");
        }

        terminal.Write(text.ToString());
        terminal.Flush();
        _cursorRow = cursorRow;
    }

    private static int TerminalWidth()
    {
        try
        {
            return Math.Max(10, Console.WindowWidth);
        }
        catch (IOException)
        {
            return 80;
        }
    }

    internal static int VisibleWidth(string text) => AnsiEscape().Replace(text, "").Length;

    [GeneratedRegex("\x1b\\[[0-9;]*m")]
    private static partial Regex AnsiEscape();
}
