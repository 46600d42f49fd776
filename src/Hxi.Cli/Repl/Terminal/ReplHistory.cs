namespace Hxi.Cli.Repl.Terminal;

/// <summary>Lines entered before, this session and earlier ones, kept in a file under the user's state directory.</summary>
public sealed class ReplHistory
{
    private const int MaxEntries = 1000;

    private readonly List<string> _entries = [];
    private readonly string? _path;

    public ReplHistory(string? path)
    {
        _path = path;
        if (path is null || !File.Exists(path))
        {
            return;
        }

        try
        {
            _entries.AddRange(File.ReadLines(path).Where(l => l.Length > 0).TakeLast(MaxEntries));
        }
        catch (IOException)
        {
            // An unreadable history is not worth refusing to start over.
        }
    }

    public IReadOnlyList<string> Entries => _entries;

    /// <summary>The file the lines are kept in; null for a session-only history (a script's).</summary>
    public string? FilePath => _path;

    /// <summary>HXI_HISTORY, else $XDG_STATE_HOME/hxi/history, else ~/.local/state/hxi/history (the XDG default).</summary>
    public static string? DefaultPath()
    {
        if (Environment.GetEnvironmentVariable("HXI_HISTORY") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(state))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            state = Path.Combine(home, ".local", "state");
        }

        return Path.Combine(state, "hxi", "history");
    }

    /// <summary>Remembers a line (not a repeat of the last one) and appends it to the file at once, so a crash loses nothing.</summary>
    public void Add(string line)
    {
        // Completion leaves a trailing space; recalled lines should not collect them.
        line = line.TrimEnd();
        if (string.IsNullOrWhiteSpace(line) || (_entries.Count > 0 && _entries[^1] == line))
        {
            return;
        }

        _entries.Add(line);
        if (_entries.Count > MaxEntries)
        {
            _entries.RemoveAt(0);
        }

        if (_path is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            File.AppendAllText(_path, line + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // History is a convenience; a read-only home must not break the REPL.
        }
    }
}
