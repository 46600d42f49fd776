using Hxi.Protocols.Http2;

namespace Hxi.Cli.Repl.Parsing;

public static partial class ReplParser
{
    private static PingCommand Ping(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("ping", words, NoOptions, NoOptions);
        args.RequirePositionals(0, 1, "ping [DATA] (16 hex digits or up to 8 characters)");
        return new PingCommand(args.Positionals.Count == 0 ? null : ReplValues.PingData(args.Positionals[0]));
    }

    private static ReplInstruction Settings(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("settings", words, NoOptions, NoOptions);
        if (args.Positionals is ["ack" or "ACK"])
        {
            return new SettingsAckCommand();
        }

        var settings = new List<Http2Setting>();
        foreach (var pair in args.Positionals)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw new ReplInputException($"settings: '{pair}' is not NAME=value (e.g. MAX_CONCURRENT_STREAMS=5)");
            }

            if (!Http2SettingNames.TryParse(pair[..eq], out var id))
            {
                throw new ReplInputException($"settings: unknown setting '{pair[..eq]}' (e.g. INITIAL_WINDOW_SIZE, or a number)");
            }

            settings.Add(new Http2Setting(id, ReplValues.UInt(pair[(eq + 1)..], $"value of {pair[..eq]}")));
        }

        return new SettingsCommand(settings);
    }

    private static ReplArguments HeadersArguments(IEnumerable<string> words) =>
        ReplArguments.Parse("headers", words,
            ["--stream", "--priority", "--pad", "--split", "-H", "--header"],
            ["--end-stream", "--no-end-stream", "--no-end-headers"]);

    /// <param name="more">The HTTP/1.1-style lines that followed when no METHOD /path was given.</param>
    private static HeadersCommand Headers(IEnumerable<string> words, IReadOnlyList<string> more)
    {
        var args = HeadersArguments(words);
        args.RequirePositionals(0, 2, "headers [options] [METHOD /path] [-H 'Name: value']");
        var (method, target, headers) = RequestLineAndFields(args, more);
        return new HeadersCommand(
            args.Value("--stream") is { } stream ? ReplValues.StreamId(stream) : null,
            method,
            target,
            headers,
            EndStream: !args.Has("--no-end-stream"),
            EndHeaders: !args.Has("--no-end-headers"),
            args.Value("--priority") is { } priority ? ReplValues.PriorityOption(priority) : null,
            args.Value("--pad") is { } pad ? ReplValues.Count(pad, "--pad", 0, 255) : null,
            args.Value("--split") is { } split ? ReplValues.Count(split, "--split", 1, 16_777_215) : null);
    }

    /// <summary>METHOD /path from the words or from the first following line, then the header lines and -H fields.</summary>
    private static (string Method, string Target, List<Protocols.Primitives.HeaderField> Headers) RequestLineAndFields(ReplArguments args, IReadOnlyList<string> more)
    {
        string method, target;
        var headers = new List<Protocols.Primitives.HeaderField>();
        if (args.Positionals.Count == 2)
        {
            (method, target) = (args.Positionals[0].ToUpperInvariant(), args.Positionals[1]);
        }
        else if (args.Positionals.Count == 0 && more.Count > 0 && more[0].Length > 0)
        {
            var typed = TypedRequestParser.Parse([IsRequestLine(more[0]) ? more[0] : more[0] + " HTTP/1.1", .. more.Skip(1)]);
            (method, target) = (typed.Method, typed.Target);
            headers.AddRange(typed.Headers);
        }
        else
        {
            throw new ReplInputException("headers: give METHOD /path, or type a request line and header lines after it");
        }

        CheckTarget(target);
        headers.AddRange(args.Values("-H").Concat(args.Values("--header")).Select(ReplValues.HeaderLine));
        return (method, target, headers);
    }

    private static DataCommand Data(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("data", words, ["--pad"], ["--end", "--end-stream"]);
        args.RequirePositionals(1, 64, "data STREAM [--end] [--pad N] TEXT|@file|hex:...");
        var payload = args.Positionals.Count == 1 ? [] : ReplValues.Payload(string.Join(' ', args.Positionals.Skip(1)));
        return new DataCommand(
            ReplValues.StreamId(args.Positionals[0]),
            payload,
            args.Has("--end") || args.Has("--end-stream"),
            args.Value("--pad") is { } pad ? ReplValues.Count(pad, "--pad", 0, 255) : null);
    }

    private static RstCommand Rst(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("rst", words, NoOptions, NoOptions);
        args.RequirePositionals(2, 2, "rst STREAM CODE");
        return new RstCommand(ReplValues.StreamId(args.Positionals[0]), ReplValues.ErrorCode(args.Positionals[1]));
    }

    private static WindowUpdateCommand WindowUpdate(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("window-update", words, NoOptions, NoOptions);
        args.RequirePositionals(2, 2, "window-update STREAM INCREMENT");
        var increment = ReplValues.UInt(args.Positionals[1], "increment");
        if (increment > int.MaxValue)
        {
            throw new ReplInputException($"window-update: increment {increment} does not fit in 31 bits");
        }

        return new WindowUpdateCommand(ReplValues.StreamId(args.Positionals[0]), (int)increment);
    }

    private static PriorityCommand Priority(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("priority", words, NoOptions, ["--exclusive"]);
        args.RequirePositionals(2, 3, "priority STREAM DEP [WEIGHT] [--exclusive]");
        return new PriorityCommand(
            ReplValues.StreamId(args.Positionals[0]),
            ReplValues.Priority(args.Positionals[1], args.Positionals.ElementAtOrDefault(2), args.Has("--exclusive")));
    }

    private static GoAwayCommand GoAway(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("goaway", words, NoOptions, NoOptions);
        args.RequirePositionals(2, 64, "goaway LAST-STREAM CODE [DEBUG]");
        return new GoAwayCommand(
            ReplValues.StreamId(args.Positionals[0], "last stream id"),
            ReplValues.ErrorCode(args.Positionals[1]),
            string.Join(' ', args.Positionals.Skip(2)));
    }

    private static ContinuationCommand Continuation(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("continuation", words, ["-H", "--header"], ["--end-headers"]);
        args.RequirePositionals(1, 2, "continuation STREAM [--end-headers] [-H 'Name: value' ...|hex:...]");
        var raw = args.Positionals.Count == 2 ? ReplValues.Hex(args.Positionals[1]) : null;
        var headers = args.Values("-H").Concat(args.Values("--header")).Select(ReplValues.HeaderLine).ToList();
        if (raw is not null && headers.Count > 0)
        {
            throw new ReplInputException("continuation: give header fields (-H) or a hex fragment, not both");
        }

        return new ContinuationCommand(ReplValues.StreamId(args.Positionals[0]), headers, raw, args.Has("--end-headers"));
    }

    private static RawFrameCommand Raw(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("raw", words, NoOptions, NoOptions);
        args.RequirePositionals(3, 4, "raw TYPE FLAGS STREAM [HEXPAYLOAD]  (e.g. raw 0x0 0x1 99 68656c6c6f)");
        var payload = args.Positionals.Count == 4 ? ReplValues.Hex(args.Positionals[3]) : [];
        if (payload.Length > 16_777_215)
        {
            throw new ReplInputException("raw: a frame payload is at most 16777215 bytes");
        }

        var stream = ReplValues.UInt(args.Positionals[2], "stream id");
        return new RawFrameCommand(
            ReplValues.FrameType(args.Positionals[0]),
            ReplValues.Flags(args.Positionals[1]),
            (int)(stream & 0x7fff_ffff),
            payload);
    }
}
