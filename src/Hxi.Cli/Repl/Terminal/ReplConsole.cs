using System.Text;

namespace Hxi.Cli.Repl.Terminal;

/// <summary>
/// The one writer all REPL output goes through, whichever thread writes. Whole lines are passed on:
/// while the user is typing they are printed above the prompt by the line editor, otherwise straight out.
/// </summary>
/// <remarks>A partial line is held until its newline, so a frame printed from the reading thread never splits one.</remarks>
public sealed class ReplConsole(TextWriter terminal) : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _partial = new();

    public override Encoding Encoding => terminal.Encoding;

    /// <summary>Set while a line editor owns the bottom line of the terminal.</summary>
    public LineEditor? Editor { get; set; }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            _partial.Append(value);
            var end = LastNewline();
            if (end < 0)
            {
                return;
            }

            var lines = _partial.ToString(0, end + 1);
            _partial.Remove(0, end + 1);
            if (Editor is { } editor)
            {
                editor.PrintAbove(lines);
            }
            else
            {
                terminal.Write(lines);
                terminal.Flush();
            }
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? "") + "\n");

    public override void WriteLine() => Write("\n");

    private int LastNewline()
    {
        for (var i = _partial.Length - 1; i >= 0; i--)
        {
            if (_partial[i] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
