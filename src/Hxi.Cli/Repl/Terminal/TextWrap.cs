namespace Hxi.Cli.Repl.Terminal;

/// <summary>Breaks text into lines at spaces so it fits a terminal's width, instead of cutting it short.</summary>
public static class TextWrap
{
    /// <summary>
    /// The lines of <paramref name="text"/> at most <paramref name="width"/> characters wide (a word longer than that
    /// gets a line of its own, whole); null width means one line, as for a pipe or a file.
    /// </summary>
    public static IReadOnlyList<string> Lines(string text, int? width)
    {
        if (width is not { } limit || text.Length <= limit)
        {
            return [text];
        }

        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > limit)
            {
                lines.Add(line);
                line = "";
            }

            line = line.Length == 0 ? word : line + " " + word;
        }

        lines.Add(line);
        return lines;
    }

    /// <summary>Text after a first-line prefix, with the lines after the first indented under it (a hanging indent).</summary>
    public static string Hanging(string prefix, int prefixWidth, string text, int? width)
    {
        var lines = Lines(text, width is { } w ? Math.Max(20, w - prefixWidth) : null);
        var indent = new string(' ', prefixWidth);
        return prefix + string.Join("\n" + indent, lines) + "\n";
    }
}
