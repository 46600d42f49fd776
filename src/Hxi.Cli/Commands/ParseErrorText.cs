using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Hxi.Cli.Commands;

/// <summary>
/// System.CommandLine's parse errors in the user's words: its message for a value that does not convert names the
/// .NET type (`expected type 'System.Nullable`1[System.Double]'`), which means nothing to someone typing `--timeout abc`.
/// </summary>
public static partial class ParseErrorText
{
    /// <summary>
    /// The first parse error as one line. A token like <c>--no-such-option</c> is named as an unknown option: System.CommandLine
    /// hands it to the command's URL argument and then reports the real URL as the unrecognized one.
    /// </summary>
    public static string Describe(ParseResult parsed)
    {
        var help = parsed.CommandResult.Command is RootCommand ? "hxi --help" : $"hxi {parsed.CommandResult.Command.Name} --help";
        var arguments = parsed.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value);
        if (arguments.Concat(parsed.UnmatchedTokens).FirstOrDefault(t => t.Length > 1 && t.StartsWith('-')) is { } unknown)
        {
            return $"unknown option '{unknown}' (see {help})";
        }

        return $"{Describe(parsed.Errors[0].Message)} (see {help})";
    }

    public static string Describe(string message)
    {
        var match = ConversionFailure().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var type = match.Groups["type"].Value;
        var expected = type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
            : type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : "a valid value";
        return $"{match.Groups["option"].Value}: '{match.Groups["value"].Value}' is not {expected}";
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)' as expected type '(?<type>[^']*)'")]
    private static partial Regex ConversionFailure();
}
