using System.CommandLine;
using System.CommandLine.Completions;
using System.Text.RegularExpressions;

namespace Hxi.Cli.Completion;

/// <summary>What follows an option on the command line.</summary>
public enum OptionValueKind
{
    /// <summary>A switch (<c>--insecure</c>): nothing follows.</summary>
    None,

    /// <summary>A path, or text that may be one (<c>-o FILE</c>, <c>-d @FILE</c>): the shell's filename completion helps.</summary>
    File,

    /// <summary>A number or word no completion can guess (<c>--timeout S</c>, <c>-H 'Name: value'</c>).</summary>
    Text,

    /// <summary>One of <see cref="CompletedOption.Choices"/>.</summary>
    Choice,
}

/// <summary>One option as the shells see it: its spellings, its help line, and what its value is.</summary>
/// <param name="OptionalValue">The value may be left out (<c>--alt-svc [FILE]</c>), so the next word need not be it.</param>
/// <param name="Repeatable">The option may be given more than once (<c>-H</c>, <c>-F</c>).</param>
public sealed record CompletedOption(
    IReadOnlyList<string> Names,
    string Description,
    OptionValueKind Value,
    IReadOnlyList<string> Choices,
    bool OptionalValue,
    bool Repeatable)
{
    public IEnumerable<string> LongNames => Names.Where(n => n.StartsWith("--", StringComparison.Ordinal));

    public IEnumerable<string> ShortNames => Names.Where(n => n.Length == 2);
}

/// <summary>A command (the root or a subcommand) with its visible options and subcommands.</summary>
public sealed record CompletedCommand(string Name, string Description, IReadOnlyList<CompletedOption> Options, IReadOnlyList<CompletedCommand> Subcommands)
{
    /// <summary>The options after which the next word is their value.</summary>
    public IEnumerable<CompletedOption> ValueOptions => Options.Where(o => o.Value != OptionValueKind.None && !o.OptionalValue);
}

/// <summary>
/// Reads the real System.CommandLine tree into what the bash, zsh and fish scripts need, so the scripts are
/// generated from the same objects that parse the command line and cannot fall behind them.
/// </summary>
public static partial class CompletionTree
{
    public static CompletedCommand From(Command command) => From(command, inherited: []);

    private static CompletedCommand From(Command command, IReadOnlyList<Option> inherited)
    {
        var options = command.Options.Concat(inherited).Where(o => !o.Hidden).Distinct().ToList();
        var passedDown = inherited.Concat(command.Options.Where(o => o.Recursive)).ToList();
        return new CompletedCommand(
            command.Name,
            OneLine(command.Description),
            options.Select(Describe).Where(o => o.Names.Count > 0).ToList(),
            command.Subcommands.Where(c => !c.Hidden).Select(c => From(c, passedDown)).ToList());
    }

    private static CompletedOption Describe(Option option)
    {
        // Only spellings a shell can take as a word: "-X" and "--http1.1", not "/?" or "-?" (a glob).
        var names = new[] { option.Name }.Concat(option.Aliases).Where(n => ShellSafeName().IsMatch(n)).Distinct().ToList();
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        var takesValue = option.Arity.MaximumNumberOfValues > 0 && type != typeof(bool);
        var choices = takesValue
            ? option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList()
            : [];
        var kind = !takesValue ? OptionValueKind.None
            : choices.Count > 0 ? OptionValueKind.Choice
            : TakesPath(option) ? OptionValueKind.File
            : OptionValueKind.Text;
        return new CompletedOption(
            names,
            OneLine(option.Description),
            kind,
            choices,
            OptionalValue: takesValue && option.Arity.MinimumNumberOfValues == 0,
            Repeatable: option.ValueType.IsArray);
    }

    /// <summary>The option's name, value name or help line speaks of a file or directory (-o FILE, -d @FILE, --cert-dir).</summary>
    private static bool TakesPath(Option option) =>
        MentionsPath().IsMatch($"{option.Name} {option.HelpName} {option.Description}");

    private static string OneLine(string? text) => (text ?? "").ReplaceLineEndings(" ").Trim();

    [GeneratedRegex(@"\b(file|dir|directory)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MentionsPath();

    [GeneratedRegex(@"^--?[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ShellSafeName();
}
