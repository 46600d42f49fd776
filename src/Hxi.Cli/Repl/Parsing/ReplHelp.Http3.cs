namespace Hxi.Cli.Repl.Parsing;

public static partial class ReplHelp
{
    /// <summary>The HTTP/3 commands (parity with Cloudflare's h3i); over HTTP/3 they replace the HTTP/2 frame commands.</summary>
    public static readonly IReadOnlyList<Entry> Http3Commands =
    [
        new("ping", "ping", "Sends a QUIC PING frame (it carries no data); the server acknowledges the packet, and the RTT is shown."),
        new("settings", "settings [NAME=value ...]",
            "Sends a SETTINGS frame on hxi's control stream (names like QPACK_MAX_TABLE_CAPACITY, GREASE, or numbers). The control stream already began with SETTINGS, so the server must close the connection with H3_FRAME_UNEXPECTED."),
        new("headers", "headers [--stream N] [--no-end-stream] [--no-pseudo] [--literal] [METHOD /path] [-H 'Name: value']",
            "Sends a HEADERS frame by hand on a new request stream (or --stream N). --no-pseudo leaves out :method, :scheme, :authority and :path; --literal encodes every field as a QPACK literal with no table references. Without METHOD /path, type HTTP/1.1-style lines and an empty line."),
        new("data", "data STREAM [--end] TEXT|@file|hex:...", "Sends one DATA frame on STREAM; --end closes the stream (QUIC FIN) after it."),
        new("goaway", "goaway ID", "Sends GOAWAY on the control stream; from a client the id is a push id (0 refuses all pushes)."),
        new("max-push-id", "max-push-id PUSH-ID",
            "Sends MAX_PUSH_ID on the control stream, allowing the server to push ids 0 to PUSH-ID; each PUSH_PROMISE and pushed response (its push stream's HEADERS and DATA) is shown as it arrives."),
        new("cancel-push", "cancel-push PUSH-ID",
            "Sends CANCEL_PUSH on the control stream for a promised push; a push stream that still arrives for it is stopped with H3_REQUEST_CANCELLED."),
        new("priority-update", "priority-update STREAM 'u=N[, i]' [--push]", "Sends PRIORITY_UPDATE (RFC 9218) for a request stream, or a push id with --push."),
        new("raw-frame", "raw-frame TYPE [HEXPAYLOAD] [--stream N] [--fin]",
            "Sends any frame type with any payload, on the control stream unless --stream says otherwise: raw-frame 0x0 68656c6c6f is DATA on the control stream, which the server must answer with H3_FRAME_UNEXPECTED."),
        new("open-uni", "open-uni TYPE", "Opens a unidirectional stream of any type (control, push, encoder, decoder, grease or a number) and writes its type; stream-bytes writes on it."),
        new("stream-bytes", "stream-bytes STREAM [HEX] [--fin]", "Writes bytes on a stream exactly as given, no framing; --fin ends the stream."),
        new("reset-stream", "reset-stream STREAM CODE", "Sends QUIC RESET_STREAM with an HTTP/3 error code (H3_REQUEST_CANCELLED, or a number)."),
        new("stop-sending", "stop-sending STREAM CODE", "Sends QUIC STOP_SENDING with an HTTP/3 error code."),
        new("connection-close", "connection-close CODE [REASON] [--transport]",
            "Closes the connection with CONNECTION_CLOSE: an HTTP/3 code (H3_NO_ERROR), or with --transport a QUIC transport code (PROTOCOL_VIOLATION). The next command reconnects."),
        new("key-update", "key-update",
            "Starts a QUIC key update (RFC 9001 6): the next 1-RTT packets (a PING goes at once) carry the flipped key phase under new keys, and the server must follow. Refused until the previous update is acknowledged."),
        new("migrate", "migrate [ADDR]",
            "Moves the QUIC connection to a new local UDP port, or to local address ADDR (such as 127.0.0.2): a PATH_CHALLENGE validates the new path, and hxi moves to a fresh connection ID of the server's (RFC 9000 Section 9)."),
        new("wait", "wait 200ms | wait frame TYPE [TIMEOUT] | wait stream N end [TIMEOUT] | wait requests [TIMEOUT] | wait close [TIMEOUT]",
            "Pauses a script until time passes, an HTTP/3 frame of TYPE arrives, stream N ends, background requests finish, or the connection closes. A script that waits for the close expects it, so it is not counted as a connection error."),
        new("set", "set frames|hex|qpack|quic on|off", "Changes what the wire view shows: HTTP/3 frames, hex dumps, QPACK representations and instructions, QUIC packets; set alone shows the current view."),
    ];

    /// <summary>What <c>help</c> lists in a dialect: over HTTP/3 the HTTP/2 frame commands give way to HTTP/3's.</summary>
    public static IEnumerable<Entry> For(ReplDialect dialect)
    {
        if (dialect == ReplDialect.Http2)
        {
            return Commands;
        }

        var http3 = Http3Commands.Select(c => c.Name).ToHashSet();
        return Commands.Where(c => !c.Http2Only && !http3.Contains(c.Name))
            .Concat(Http3Commands)
            .OrderBy(c => Commands.ToList().FindIndex(e => e.Name == c.Name) is var index and >= 0 ? index : Commands.Count);
    }

    /// <summary>The entry for a command in a dialect, falling back to the other dialect's.</summary>
    public static Entry? Find(string name, ReplDialect dialect) =>
        (dialect == ReplDialect.Http3 ? Match(Http3Commands, name) : null) ?? Find(name) ?? Match(Http3Commands, name);

    private static Entry? Match(IEnumerable<Entry> entries, string name) =>
        entries.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}
