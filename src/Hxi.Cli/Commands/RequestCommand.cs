using System.CommandLine;

namespace Hxi.Cli.Commands;

/// <summary>The one-shot request options: the httpx CLI's, with curl's spellings where users know them.</summary>
public sealed partial class RequestCommand
{
    public Argument<string> Url { get; } = new("URL") { Description = "http:// or https:// URL (a bare host or :port means http)" };

    public Argument<string[]> Items { get; } = new("ITEMS")
    {
        Description = "HTTPie-style items: Name:value (header), name==value (query), field=value (JSON string), field:=json (JSON value); or more URLs, fetched at once over one connection",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string?> Method { get; } = new("--method", "-X") { Description = "request method (default GET, or POST with a body)" };

    public Option<string[]> Header { get; } = new("--header", "-H") { Description = "'Name: value' request header (repeatable)", AllowMultipleArgumentsPerToken = false };

    public Option<string?> Data { get; } = new("--data", "-d") { Description = "request body: TEXT, @FILE or @- for stdin" };

    public Option<string?> Json { get; } = new("--json") { Description = "JSON body: TEXT or @FILE (sets Content-Type and Accept)" };

    public Option<string[]> Form { get; } = new("--form", "-F") { Description = "multipart field name=value or name=@file (repeatable)" };

    public Option<string?> User { get; } = new("--user", "-u") { Description = "basic auth user:password" };

    public Option<bool> Follow { get; } = new("--follow-redirects", "-L", "--location") { Description = "follow 3xx redirects" };

    public Option<int> MaxRedirects { get; } = new("--max-redirects") { Description = "redirects to follow at most", DefaultValueFactory = _ => 20 };

    public Option<bool> Head { get; } = new("--head", "-I") { Description = "HEAD request; show the response head only" };

    public Option<bool> Include { get; } = new("--include", "-i") { Description = "show the response head even when stdout is not a terminal" };

    public Option<string?> Output { get; } = new("--output", "-o") { Description = "write the body to FILE (a progress bar shows on a terminal)" };

    public Option<bool> Compressed { get; } = new("--compressed") { Description = "ask for gzip, deflate or br and decode the response" };

    public Option<double?> Timeout { get; } = new("--timeout") { Description = "whole-request timeout in seconds" };

    public Option<double?> ConnectTimeout { get; } = new("--connect-timeout") { Description = "TCP connect timeout in seconds" };

    public Option<bool> Http11 { get; } = new("--http1.1") { Description = "use HTTP/1.1 only" };

    public Option<bool> Http2 { get; } = new("--http2") { Description = "HTTP/2: ALPN on https, h2c Upgrade on http" };

    public Option<bool> Http2PriorKnowledge { get; } = new("--http2-prior-knowledge") { Description = "HTTP/2 without negotiation (h2c on http)" };

    public Option<bool> Http3 { get; } = new("--http3") { Description = "try HTTP/3 over QUIC first, fall back to h2/http1.1 with the reason shown" };

    public Option<bool> Http3Only { get; } = new("--http3-only") { Description = "HTTP/3 only: no fallback" };

    public Option<string?> AltSvc { get; } = new("--alt-svc")
    {
        Description = "remember servers' Alt-Svc and use HTTP/3 where one was advertised; the cache is FILE, or $XDG_CACHE_HOME/hxi/alt-svc (~/.cache/hxi/alt-svc)",
        HelpName = "FILE",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = AltSvcFileOrNone,
    };

    public Option<bool> Quic { get; } = new("--quic") { Description = "show every QUIC datagram, packet and frame, and the TLS handshake messages" };

    public Option<bool> Qpack { get; } = new("--qpack") { Description = "show each QPACK field line's representation and the encoder/decoder stream instructions" };

    public Option<int> QpackCapacity { get; } = new("--qpack-capacity") { Description = "QPACK dynamic table capacity to advertise (0 turns it off)", DefaultValueFactory = _ => 4096 };

    public Option<bool> Silent { get; } = new("--silent", "-s") { Description = "no progress bar, no warnings" };

    public Option<bool> Fail { get; } = new("--fail", "-f") { Description = "exit 22 on a 4xx or 5xx status" };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "connection details and the request as sent, on stderr" };

    public Option<bool> Timing { get; } = new("--timing") { Description = "DNS, connect, TLS, first byte and total times, on stderr" };

    public Option<bool> Stat { get; } = new("--stat") { Description = "a summary per request (stream id, status, size, start, end) on stderr, as nghttp -s; with several URLs they share one connection" };

    public Option<bool> Frames { get; } = new("--frames") { Description = "show every HTTP/2 frame (or HTTP/1.1 message) as it goes, on stderr" };

    public Option<bool> Hex { get; } = new("--hex") { Description = "add an xxd-style dump of each frame's bytes" };

    public Option<bool> Hpack { get; } = new("--hpack") { Description = "show each header field's HPACK representation and the dynamic table" };

    public Option<string?> Trace { get; } = new("--trace") { Description = "write every record of every layer (frames, packets, TLS, ...) as a JSON line to FILE" };

    public Option<string?> Har { get; } = new("--har") { Description = "write the requests and responses of the run as a HAR 1.2 file, for browser devtools" };

    public Option<string?> Qlog { get; } = new("--qlog") { Description = "write a qlog file (.sqlog, for qvis) per QUIC connection into DIR (or set QLOGDIR)" };

    public Option<bool> Insecure { get; } = new("--insecure", "-k") { Description = "do not verify the server certificate" };

    public Option<string?> CaCert { get; } = new("--cacert") { Description = "trust the CA certificates in this PEM file" };

    public Option<string?> WriteOut { get; } = new("--write-out", "-w") { Description = "after the transfer, print TEMPLATE to stdout with curl's %{variables} (http_code, time_total, ...); @FILE reads it", HelpName = "TEMPLATE" };

    public Option<string?> Cookie { get; } = new("--cookie", "-b") { Description = "send cookies: 'name=value; n2=v2', or read a Netscape cookie FILE", HelpName = "DATA|FILE" };

    public Option<string?> CookieJar { get; } = new("--cookie-jar", "-c") { Description = "write the cookies servers set (across redirects) to FILE, in curl's format", HelpName = "FILE" };

    public Option<string?> Session { get; } = new("--session") { Description = "HTTP/3: resume with the TLS session ticket kept in FILE for the origin, and keep the new one there (JSON, mode 0600)", HelpName = "FILE" };

    public Option<bool> EarlyData { get; } = new("--0rtt") { Description = "HTTP/3: send the request in 0-RTT when the --session ticket allows it" };

    public Option<bool> Push { get; } = new("--push") { Description = "accept server push (HTTP/2 and HTTP/3) and show pushed responses" };

    public Option<int?> WindowBits { get; } = new("--window-bits") { Description = "HTTP/2 stream window of 2^N-1 bytes (SETTINGS_INITIAL_WINDOW_SIZE), as nghttp's -w", HelpName = "N" };

    public Option<int?> ConnectionWindowBits { get; } = new("--connection-window-bits") { Description = "HTTP/2 connection window of 2^N-1 bytes, as nghttp's -W", HelpName = "N" };

    public Option<long?> WindowSize { get; } = new("--window-size") { Description = "HTTP/2 stream window in bytes (SETTINGS_INITIAL_WINDOW_SIZE)", HelpName = "BYTES" };

    public Option<long?> ConnectionWindowSize { get; } = new("--connection-window-size") { Description = "HTTP/2 connection window in bytes", HelpName = "BYTES" };

    public Option<long?> MaxFrameSize { get; } = new("--max-frame-size") { Description = "HTTP/2 SETTINGS_MAX_FRAME_SIZE to announce (16384 to 16777215; default 65536)", HelpName = "BYTES" };

    public Option<long?> HeaderTableSize { get; } = new("--header-table-size") { Description = "HTTP/2 SETTINGS_HEADER_TABLE_SIZE to announce (HPACK table the server may use)", HelpName = "BYTES" };

    /// <summary>
    /// FILE is optional, so "--alt-svc https://host/" must leave the URL to the URL argument: a token that
    /// looks like a URL (a scheme, ":port" or "host:port") is not taken as the file.
    /// </summary>
    private static string? AltSvcFileOrNone(System.CommandLine.Parsing.ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var token = result.Tokens[0].Value;
        if (token.Contains("://", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(token, @"^[^/]*:\d+(/|$)"))
        {
            result.OnlyTake(0);
            return null;
        }

        return token;
    }

    /// <summary>--key-update-after, --tls-ciphers: QUIC's own knobs, kept together in one record.</summary>
    public QuicFlags QuicOptions { get; } = new();

    public void AddTo(Command command)
    {
        foreach (var option in QuicOptions.All)
        {
            command.Add(option);
        }

        command.Add(Url);
        command.Add(Items);
        foreach (var option in new Option[]
        {
            Method, Header, Data, Json, Form, User, Follow, MaxRedirects, Head, Include, Output, Compressed, Timeout,
            ConnectTimeout, Http11, Http2, Http2PriorKnowledge, Http3, Http3Only, AltSvc, Quic, Qpack, QpackCapacity, Silent, Fail, Verbose, Timing, Stat, Frames, Hex, Hpack, Trace,
            Har, Insecure, CaCert, Push, Qlog, WriteOut, Cookie, CookieJar, Session, EarlyData, WindowBits, ConnectionWindowBits, WindowSize, ConnectionWindowSize, MaxFrameSize, HeaderTableSize,
        })
        {
            command.Add(option);
        }

        foreach (var option in QuicPathOptionList)
        {
            command.Add(option);
        }
    }
}
