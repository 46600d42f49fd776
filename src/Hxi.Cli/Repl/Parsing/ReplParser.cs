using System.Text.RegularExpressions;

namespace Hxi.Cli.Repl.Parsing;

/// <summary>Turns an entry (one line, or the lines of a typed request) into a <see cref="ReplInstruction"/>.</summary>
/// <remarks>Split by kind: this file dispatches and reads requests, <c>.Frames.cs</c> the HTTP/2 frame commands,
/// <c>.Session.cs</c> wait, set and help.</remarks>
public static partial class ReplParser
{
    private static readonly string[] NoOptions = [];

    /// <summary>"GET /json HTTP/1.1": the first line of a typed request, which more lines follow.</summary>
    public static bool IsRequestLine(string line) => RequestLine().IsMatch(line);

    /// <summary>True when the entry starting with <paramref name="line"/> goes on over more lines (until an empty one).</summary>
    public static bool StartsMultiLineEntry(string line)
    {
        if (IsRequestLine(line))
        {
            return true;
        }

        // headers without METHOD /path reads HTTP/1.1-style lines, like a typed request.
        if (!line.TrimStart().StartsWith("headers", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var words = ReplTokenizer.Split(line);
            return words[0] == "headers" && HeadersPositionals(words.Skip(1).ToList()) == 0;
        }
        catch (ReplInputException)
        {
            return false;
        }
    }

    // The collector does not know the dialect, so options of either dialect's headers count.
    private static int HeadersPositionals(List<string> words)
    {
        try
        {
            return HeadersArguments(words).Positionals.Count;
        }
        catch (ReplInputException)
        {
            return ReplArguments.Parse("headers", words, Http3HeadersValueOptions, Http3HeadersFlags).Positionals.Count;
        }
    }

    /// <param name="lines">One command line, or the lines of a typed request.</param>
    /// <param name="dialect">HTTP/3 reads <c>settings</c>, <c>headers</c>, <c>goaway</c> and <c>wait frame</c> as its own frames.</param>
    public static ReplInstruction Parse(IReadOnlyList<string> lines, ReplDialect dialect = ReplDialect.Http2)
    {
        var first = lines[0];
        var trimmed = first.Trim();
        if (trimmed.Length == 0 || trimmed.StartsWith('#'))
        {
            return new NoCommand();
        }

        if (IsRequestLine(first))
        {
            return TypedRequestParser.Parse(lines);
        }

        var words = ReplTokenizer.Split(trimmed);
        var name = words[0];
        var rest = words.Skip(1);
        var lower = name.ToLowerInvariant();
        if (((dialect == ReplDialect.Http3 ? ParseHttp3(lower, rest, lines) : null) ?? ParseQuicCommand(lower, rest)) is { } http3)
        {
            return http3;
        }

        return lower switch
        {
            "get" or "head" or "delete" or "options" => ShortRequest(name.ToUpperInvariant(), rest, withBody: false),
            "post" or "put" or "patch" => ShortRequest(name.ToUpperInvariant(), rest, withBody: true),
            "guided" => NoArguments(name, rest, new GuidedRequest()),
            "ping" => Ping(rest),
            "settings" => Settings(rest),
            "headers" => Headers(rest, lines.Skip(1).ToList()),
            "data" => Data(rest),
            "rst" or "rst_stream" or "rst-stream" => Rst(rest),
            "window-update" or "window_update" => WindowUpdate(rest),
            "priority" => Priority(rest),
            "goaway" => GoAway(rest),
            "continuation" => Continuation(rest),
            "raw" => Raw(rest),
            "wait" => Wait(rest),
            "set" => Set(rest),
            "strict" => Strict(rest),
            "stats" => NoArguments(name, rest, new StatsCommand()),
            "history" => History(rest),
            "help" or "?" => Help(rest),
            "quit" or "exit" or "q" => NoArguments(name, rest, new QuitCommand()),
            _ => throw new ReplInputException($"unknown command '{name}' (type help for the list, or a request like GET / HTTP/1.1)"),
        };
    }

    private static ReplInstruction NoArguments(string name, IEnumerable<string> rest, ReplInstruction command) =>
        rest.Any() ? throw new ReplInputException($"{name} takes no arguments") : command;

    private static ShortRequest ShortRequest(string method, IEnumerable<string> words, bool withBody)
    {
        var name = method.ToLowerInvariant();
        var args = ReplArguments.Parse(name, words, ["-H", "--header", "--parallel"], NoOptions);
        byte[]? body = null;
        List<string> targets;
        if (withBody)
        {
            args.RequirePositionals(1, 2, $"{name} /path [BODY|@file|hex:...] [-H 'Name: value']");
            targets = [args.Positionals[0]];
            body = args.Positionals.Count > 1 ? ReplValues.Payload(args.Positionals[1]) : [];
        }
        else
        {
            args.RequirePositionals(1, 64, $"{name} /path [/path2 ...] [-H 'Name: value'] [--parallel N]");
            targets = args.Positionals;
        }

        foreach (var target in targets)
        {
            CheckTarget(target);
        }

        var headers = args.Values("-H").Concat(args.Values("--header")).Select(ReplValues.HeaderLine).ToList();
        var parallel = args.Value("--parallel") is { } n ? ReplValues.Count(n, "--parallel", 1, 100) : 1;
        return new ShortRequest(method, targets, headers, body, parallel, args.Background);
    }

    internal static void CheckTarget(string target)
    {
        if (!(target.StartsWith('/') || target == "*" || target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal)))
        {
            throw new ReplInputException($"'{target}' is not a path: start it with / (or give a full http(s):// URL)");
        }
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]* +\S+ +HTTP/\d(\.\d)?\s*$")]
    private static partial Regex RequestLine();
}
