using Hxi.Protocols.Http3.Frames;

namespace Hxi.Cli.Repl.Parsing;

public static partial class ReplParser
{
    private static readonly string[] Http3HeadersValueOptions = ["--stream", "-H", "--header"];
    private static readonly string[] Http3HeadersFlags = ["--end-stream", "--no-end-stream", "--no-pseudo", "--literal"];

    /// <summary>The commands whose words mean something else over HTTP/3; null for the ones both dialects share.</summary>
    private static ReplInstruction? ParseHttp3(string name, IEnumerable<string> rest, IReadOnlyList<string> lines) => name switch
    {
        "ping" => NoArguments("ping (QUIC PING carries no data)", rest, new PingCommand(null)),
        "settings" => Http3Settings(rest),
        "headers" => Http3Headers(rest, lines.Skip(1).ToList()),
        "data" => Http3Data(rest),
        "goaway" => new Http3GoAwayCommand(OneVarint("goaway", rest, "goaway ID (a push id from a client)")),
        "wait" when rest.FirstOrDefault() == "frame" => Http3WaitFrame(rest.Skip(1).ToList()),
        _ => null,
    };

    /// <summary>Commands only HTTP/3 has; an HTTP/2 session parses them too and says they need HTTP/3.</summary>
    private static ReplInstruction? ParseQuicCommand(string name, IEnumerable<string> rest) => name switch
    {
        "max-push-id" or "max_push_id" => new MaxPushIdCommand(OneVarint("max-push-id", rest, "max-push-id PUSH-ID")),
        "cancel-push" or "cancel_push" => new CancelPushCommand(OneVarint("cancel-push", rest, "cancel-push PUSH-ID")),
        "priority-update" or "priority_update" => PriorityUpdate(rest),
        "raw-frame" or "raw_frame" => Http3RawFrame(rest),
        "open-uni" or "open_uni" => OpenUni(rest),
        "stream-bytes" or "stream_bytes" => StreamBytes(rest),
        "reset-stream" or "reset_stream" => StreamCode<ResetStreamCommand>("reset-stream", rest, (id, code) => new ResetStreamCommand(id, code)),
        "stop-sending" or "stop_sending" => StreamCode<StopSendingCommand>("stop-sending", rest, (id, code) => new StopSendingCommand(id, code)),
        "connection-close" or "connection_close" => ConnectionClose(rest),
        "key-update" or "key_update" => NoArguments("key-update", rest, new KeyUpdateCommand()),
        "migrate" or "rebind" => Migrate(rest),
        _ => null,
    };

    private static Http3SettingsCommand Http3Settings(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("settings", words, NoOptions, NoOptions);
        var settings = new List<Http3Setting>();
        foreach (var pair in args.Positionals)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw new ReplInputException($"settings: '{pair}' is not NAME=value (e.g. QPACK_MAX_TABLE_CAPACITY=0)");
            }

            settings.Add(new Http3Setting(Http3Values.Setting(pair[..eq]), Http3Values.Varint(pair[(eq + 1)..], $"value of {pair[..eq]}")));
        }

        return new Http3SettingsCommand(settings);
    }

    private static Http3HeadersCommand Http3Headers(IEnumerable<string> words, IReadOnlyList<string> more)
    {
        var args = ReplArguments.Parse("headers", words, Http3HeadersValueOptions, Http3HeadersFlags);
        args.RequirePositionals(0, 2, "headers [--stream N] [--no-end-stream] [--no-pseudo] [--literal] [METHOD /path] [-H 'Name: value']");
        var (method, target, headers) = RequestLineAndFields(args, more);
        return new Http3HeadersCommand(
            args.Value("--stream") is { } stream ? Http3Values.Varint(stream, "stream id") : null,
            method,
            target,
            headers,
            EndStream: !args.Has("--no-end-stream"),
            NoPseudo: args.Has("--no-pseudo"),
            Literal: args.Has("--literal"));
    }

    private static DataCommand Http3Data(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("data", words, NoOptions, ["--end", "--end-stream"]);
        args.RequirePositionals(1, 64, "data STREAM [--end] TEXT|@file|hex:...");
        var payload = args.Positionals.Count == 1 ? [] : ReplValues.Payload(string.Join(' ', args.Positionals.Skip(1)));
        var stream = Http3Values.Varint(args.Positionals[0], "stream id");
        if (stream > int.MaxValue)
        {
            throw new ReplInputException($"data: stream {stream} is beyond what the REPL tracks (stream-bytes writes anywhere)");
        }

        return new DataCommand((int)stream, payload, args.Has("--end") || args.Has("--end-stream"), null);
    }

    private static Http3WaitFrameCommand Http3WaitFrame(List<string> words) => words switch
    {
        [var type] => new Http3WaitFrameCommand(Http3Values.FrameType(type), DefaultWaitTimeout),
        [var type, var timeout] => new Http3WaitFrameCommand(Http3Values.FrameType(type), ReplValues.Duration(timeout)),
        _ => throw new ReplInputException("usage: wait frame TYPE [TIMEOUT]"),
    };

    private static PriorityUpdateCommand PriorityUpdate(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("priority-update", words, NoOptions, ["--push"]);
        args.RequirePositionals(2, 2, "priority-update STREAM 'u=N[, i]' [--push]  (RFC 9218 priority)");
        return new PriorityUpdateCommand(Http3Values.Varint(args.Positionals[0], "element id"), args.Positionals[1], args.Has("--push"));
    }

    private static Http3RawFrameCommand Http3RawFrame(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("raw-frame", words, ["--stream"], ["--fin"]);
        args.RequirePositionals(1, 2, "raw-frame TYPE [HEXPAYLOAD] [--stream N] [--fin]  (e.g. raw-frame 0x0 68656c6c6f: DATA on the control stream)");
        return new Http3RawFrameCommand(
            Http3Values.FrameType(args.Positionals[0]),
            args.Positionals.Count == 2 ? ReplValues.Hex(args.Positionals[1]) : [],
            args.Value("--stream") is { } stream ? Http3Values.Varint(stream, "stream id") : null,
            args.Has("--fin"));
    }

    private static OpenUniCommand OpenUni(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("open-uni", words, NoOptions, NoOptions);
        args.RequirePositionals(1, 1, "open-uni TYPE  (control, push, encoder, decoder, grease or a number)");
        return new OpenUniCommand(Http3Values.StreamType(args.Positionals[0]));
    }

    private static StreamBytesCommand StreamBytes(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("stream-bytes", words, NoOptions, ["--fin"]);
        args.RequirePositionals(1, 2, "stream-bytes STREAM [HEX] [--fin]");
        var bytes = args.Positionals.Count == 2 ? ReplValues.Hex(args.Positionals[1]) : [];
        if (bytes.Length == 0 && !args.Has("--fin"))
        {
            throw new ReplInputException("stream-bytes: give some hex bytes, or --fin to end the stream");
        }

        return new StreamBytesCommand(Http3Values.Varint(args.Positionals[0], "stream id"), bytes, args.Has("--fin"));
    }

    private static T StreamCode<T>(string name, IEnumerable<string> words, Func<long, ulong, T> create)
    {
        var args = ReplArguments.Parse(name, words, NoOptions, NoOptions);
        args.RequirePositionals(2, 2, $"{name} STREAM CODE  (e.g. {name} 0 H3_REQUEST_CANCELLED)");
        return create(Http3Values.Varint(args.Positionals[0], "stream id"), Http3Values.ErrorCode(args.Positionals[1]));
    }

    private static ConnectionCloseCommand ConnectionClose(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("connection-close", words, NoOptions, ["--transport"]);
        args.RequirePositionals(1, 64, "connection-close CODE [REASON] [--transport]");
        var transport = args.Has("--transport");
        var code = transport ? Http3Values.TransportErrorCode(args.Positionals[0]) : Http3Values.ErrorCode(args.Positionals[0]);
        return new ConnectionCloseCommand(code, string.Join(' ', args.Positionals.Skip(1)), transport);
    }

    private static long OneVarint(string name, IEnumerable<string> words, string usage)
    {
        var args = ReplArguments.Parse(name, words, NoOptions, NoOptions);
        args.RequirePositionals(1, 1, usage);
        return Http3Values.Varint(args.Positionals[0], "id");
    }
}
