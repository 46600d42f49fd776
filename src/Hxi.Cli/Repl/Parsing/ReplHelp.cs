namespace Hxi.Cli.Repl.Parsing;

/// <summary>Every command with its synopsis and a paragraph: the source of <c>help</c> and of command completion.</summary>
public static partial class ReplHelp
{
    public sealed record Entry(string Name, string Synopsis, string Description, bool Http2Only = false);

    public static readonly IReadOnlyList<Entry> Commands =
    [
        new("GET", "METHOD /path HTTP/1.1  (then header lines, an empty line, a body if Content-Length says so)",
            "A request typed as HTTP/1.1 text. On HTTP/1.1 the bytes go out exactly as typed, CRLF-terminated; on HTTP/2 it is mapped to HEADERS (+DATA) and the mapping is shown."),
        new("get", "get /path [/path2 ...] [-H 'Name: value'] [--parallel N] [&]",
            "Sends GET for each path at once (separate streams on HTTP/2, pipelined on HTTP/1.1) and prints a summary table. --parallel N sends N copies of each. A trailing & gives the prompt back at once."),
        new("head", "head /path [...] [-H 'Name: value'] [&]", "As get, with HEAD."),
        new("delete", "delete /path [-H 'Name: value'] [&]", "As get, with DELETE."),
        new("post", "post /path [BODY|@file|hex:...] [-H 'Name: value'] [&]", "Sends the body with POST (put and patch work the same way)."),
        new("put", "put /path [BODY|@file|hex:...] [-H 'Name: value'] [&]", "As post, with PUT."),
        new("patch", "patch /path [BODY|@file|hex:...] [-H 'Name: value'] [&]", "As post, with PATCH."),
        new("guided", "guided", "Asks for the URL or path, the method and the headers, sends the request and describes the answer: version, status, headers, length, request number, duration, stream."),
        new("ping", "ping [DATA]", "Sends PING with 8 bytes of opaque data (16 hex digits or up to 8 characters); the server answers with a PING ACK.", true),
        new("settings", "settings [NAME=value ...] | settings ack",
            "Sends SETTINGS (names like MAX_CONCURRENT_STREAMS or numbers), or a SETTINGS ACK on its own.", true),
        new("headers", "headers [--stream N] [--no-end-stream] [--no-end-headers] [--priority DEP[:WEIGHT[:e]]] [--pad N] [--split BYTES] [METHOD /path] [-H 'Name: value']",
            "Sends a request's HEADERS frame by hand. Without METHOD /path, type HTTP/1.1-style lines and an empty line. END_STREAM is set unless --no-end-stream; --split cuts the header block into CONTINUATION frames of BYTES each.", true),
        new("data", "data STREAM [--end] [--pad N] TEXT|@file|hex:...", "Sends one DATA frame (not split, not held back by flow control).", true),
        new("rst", "rst STREAM CODE", "Sends RST_STREAM; CODE is a name (CANCEL) or a number.", true),
        new("window-update", "window-update STREAM INCREMENT", "Sends WINDOW_UPDATE; stream 0 is the connection.", true),
        new("priority", "priority STREAM DEP [WEIGHT] [--exclusive]", "Sends a PRIORITY frame (deprecated by RFC 9113 but still legal).", true),
        new("goaway", "goaway LAST-STREAM CODE [DEBUG]", "Sends GOAWAY; the connection then takes no new streams, so the next request reconnects.", true),
        new("continuation", "continuation STREAM [--end-headers] [-H 'Name: value' ...|hex:...]",
            "Sends a CONTINUATION frame carrying HPACK-encoded fields (or raw bytes). Legal only right after a HEADERS without END_HEADERS (headers --no-end-headers).", true),
        new("raw", "raw TYPE FLAGS STREAM [HEXPAYLOAD]",
            "Sends any frame, legal or not, exactly as described: raw 0x0 0x1 99 68656c6c6f is DATA on an idle stream.", true),
        new("wait", "wait 200ms | wait frame TYPE [TIMEOUT] | wait stream N end [TIMEOUT] | wait requests [TIMEOUT]",
            "Pauses a script until time passes, a frame of TYPE arrives (after the last command), stream N ends, or background requests finish. A script that waits for GOAWAY expects it, so it is not counted as a connection error."),
        new("set", "set frames|hex|hpack on|off", "Changes what the wire view shows; set alone shows the current view."),
        new("strict", "strict on|off",
            "strict on treats a malformed response (RFC 9113 8.1.1, RFC 9114 4.1.2) as the one-shot CLI does: hxi resets the stream and the request fails. strict off (the default) shows the violation as a warning and keeps the stream, to see what a broken server sends. strict alone shows the setting."),
        new("stats", "stats", "Shows the session's statistics: requests, durations, streams, frames by type, bytes, connections."),
        new("history", "history [N]",
            "Lists the lines entered before, this session's and earlier ones' (the last N only when given); Up and Down recall them. They are kept in HXI_HISTORY, else $XDG_STATE_HOME/hxi/history (~/.local/state/hxi/history)."),
        new("help", "help [COMMAND]", "Lists the commands, or explains one."),
        new("quit", "quit", "Prints the statistics and closes the connection (so does Ctrl-D; Ctrl-C clears the typed line, and twice on an empty line quits)."),
    ];

    public static IEnumerable<string> Names => Commands.Concat(Http3Commands).Where(c => c.Name != "GET").Select(c => c.Name).Distinct().Concat(["exit"]);

    public static Entry? Find(string name) =>
        Commands.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
        ?? Commands.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}
