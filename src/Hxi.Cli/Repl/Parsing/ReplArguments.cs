namespace Hxi.Cli.Repl.Parsing;

/// <summary>A command's words sorted into positionals and options, checked against what the command accepts.</summary>
public sealed class ReplArguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);

    private ReplArguments(string command) => Command = command;

    public string Command { get; }

    public List<string> Positionals { get; } = [];

    /// <summary>A trailing &amp;: run in the background and give the prompt back at once.</summary>
    public bool Background { get; private set; }

    /// <param name="valueOptions">Options that take the next word as their value, e.g. -H or --stream.</param>
    /// <param name="flagOptions">Options that stand alone, e.g. --end-stream.</param>
    public static ReplArguments Parse(string command, IEnumerable<string> words, string[] valueOptions, string[] flagOptions)
    {
        var parsed = new ReplArguments(command);
        var list = words.ToList();
        if (list.Count > 0 && list[^1] == "&")
        {
            parsed.Background = true;
            list.RemoveAt(list.Count - 1);
        }

        for (var i = 0; i < list.Count; i++)
        {
            var word = list[i];
            var (name, inline) = word.StartsWith("--", StringComparison.Ordinal) && word.IndexOf('=') is > 2 and var eq
                ? (word[..eq], word[(eq + 1)..])
                : (word, null);
            if (valueOptions.Contains(name))
            {
                var value = inline ?? (i + 1 < list.Count ? list[++i] : throw new ReplInputException($"{command}: {name} needs a value"));
                parsed.Add(name, value);
            }
            else if (flagOptions.Contains(name))
            {
                parsed.Add(name, "");
            }
            else if (word.Length > 1 && word[0] == '-' && !char.IsAsciiDigit(word[1]))
            {
                var known = valueOptions.Concat(flagOptions).ToList();
                throw new ReplInputException($"{command}: unknown option {name}{(known.Count > 0 ? $" (it takes {string.Join(", ", known)})" : "")}");
            }
            else
            {
                parsed.Positionals.Add(word);
            }
        }

        return parsed;
    }

    public bool Has(string option) => _options.ContainsKey(option);

    public string? Value(string option) => _options.TryGetValue(option, out var values) ? values[^1] : null;

    public IReadOnlyList<string> Values(string option) => _options.TryGetValue(option, out var values) ? values : [];

    public void RequirePositionals(int min, int max, string usage)
    {
        if (Positionals.Count < min || Positionals.Count > max)
        {
            throw new ReplInputException($"usage: {usage}");
        }
    }

    private void Add(string name, string value)
    {
        if (!_options.TryGetValue(name, out var values))
        {
            _options[name] = values = [];
        }

        values.Add(value);
    }
}
