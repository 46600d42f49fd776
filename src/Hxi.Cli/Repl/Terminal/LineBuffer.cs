using System.Text;

namespace Hxi.Cli.Repl.Terminal;

/// <summary>The text being edited and the cursor in it: the editing keys' effects, with no terminal in sight.</summary>
public sealed class LineBuffer
{
    private readonly StringBuilder _text = new();

    public string Text => _text.ToString();

    public int Length => _text.Length;

    public int Cursor { get; private set; }

    public string BeforeCursor => _text.ToString(0, Cursor);

    public void Set(string text)
    {
        _text.Clear().Append(text);
        Cursor = text.Length;
    }

    public void Insert(string text)
    {
        _text.Insert(Cursor, text);
        Cursor += text.Length;
    }

    public void Backspace()
    {
        if (Cursor > 0)
        {
            _text.Remove(--Cursor, 1);
        }
    }

    public void Delete()
    {
        if (Cursor < _text.Length)
        {
            _text.Remove(Cursor, 1);
        }
    }

    public void Left() => Cursor = Math.Max(0, Cursor - 1);

    public void Right() => Cursor = Math.Min(_text.Length, Cursor + 1);

    public void Home() => Cursor = 0;

    public void End() => Cursor = _text.Length;

    public void KillToEnd() => _text.Remove(Cursor, _text.Length - Cursor);

    public void KillToStart()
    {
        _text.Remove(0, Cursor);
        Cursor = 0;
    }

    /// <summary>Ctrl-W: the word before the cursor and the spaces after it.</summary>
    public void DeleteWordBefore()
    {
        var start = Cursor;
        while (start > 0 && _text[start - 1] == ' ')
        {
            start--;
        }

        while (start > 0 && _text[start - 1] != ' ')
        {
            start--;
        }

        _text.Remove(start, Cursor - start);
        Cursor = start;
    }

    public void WordLeft()
    {
        while (Cursor > 0 && _text[Cursor - 1] == ' ')
        {
            Cursor--;
        }

        while (Cursor > 0 && _text[Cursor - 1] != ' ')
        {
            Cursor--;
        }
    }

    public void WordRight()
    {
        while (Cursor < _text.Length && _text[Cursor] == ' ')
        {
            Cursor++;
        }

        while (Cursor < _text.Length && _text[Cursor] != ' ')
        {
            Cursor++;
        }
    }
}
