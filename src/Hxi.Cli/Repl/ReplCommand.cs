using System.CommandLine;
using Hxi.Cli.Wire;
using Hxi.Net.Client;

namespace Hxi.Cli.Repl;

/// <summary><c>hxi repl URL</c>: one connection kept open, requests and frames typed by hand, everything that arrives shown.</summary>
public static class ReplCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("URL") { Description = "https:// (ALPN picks h2 or http/1.1) or http:// (HTTP/1.1; h2c with --http2 by Upgrade or --http2-prior-knowledge)" };
        var http11 = new Option<bool>("--http1.1") { Description = "speak HTTP/1.1 (raw, like telnet)" };
        var http2 = new Option<bool>("--http2") { Description = "speak HTTP/2: ALPN h2 on https://, h2c by HTTP/1.1 Upgrade on http:// (the URL's GET asks to switch, its answer comes on stream 1)" };
        var priorKnowledge = new Option<bool>("--http2-prior-knowledge", "--h2c") { Description = "speak HTTP/2 without negotiation (h2c on http://)" };
        var http3 = new Option<bool>("--http3") { Description = "speak HTTP/3 over QUIC, falling back to h2 or http/1.1 over TCP (the reason shown)" };
        var http3Only = new Option<bool>("--http3-only") { Description = "speak HTTP/3 over QUIC, no fallback" };
        var quic = new Option<bool>("--quic") { Description = "show every QUIC packet and frame, and the TLS handshake messages (set quic on)" };
        var qpack = new Option<bool>("--qpack") { Description = "show each QPACK field line's representation and the encoder/decoder instructions" };
        var script = new Option<string?>("--script") { Description = "run the commands in FILE (one per line, # comments) instead of reading a terminal" };
        var record = new Option<string?>("--record") { Description = "write the session to FILE as a script that --script replays" };
        var noFrames = new Option<bool>("--no-frames") { Description = "start with the frame view off (set frames on turns it back on)" };
        var hex = new Option<bool>("--hex") { Description = "add an xxd-style dump of each frame" };
        var hpack = new Option<bool>("--hpack") { Description = "show each header field's HPACK representation" };
        var caCert = new Option<string?>("--cacert") { Description = "trust the CA certificates in this PEM file" };
        var insecure = new Option<bool>("--insecure", "-k") { Description = "do not verify the server certificate" };
        var connectTimeout = new Option<double?>("--connect-timeout") { Description = "TCP connect timeout in seconds" };
        var strict = new Option<bool>("--strict") { Description = "start with strict on: a malformed response fails as in one-shot mode instead of being a warning" };
        var timeout = new Option<double?>("--timeout") { Description = "how long a request waits for its response, in seconds (default 30)" };
        var quicVersion = new Option<string?>("--quic-version") { Description = "QUIC version of the first Initial: 1 or 2 (RFC 9369); a server may upgrade 1 to 2 (RFC 9368)", HelpName = "1|2" };
        var har = new Option<string?>("--har") { Description = "write the session's requests and responses (not streams made by hand) to FILE as HAR 1.2 when it ends" };
        var command = new Command("repl", "Interactive HTTP/3, HTTP/2 and HTTP/1.1: type requests and raw frames on one live connection and watch every frame (help inside for the commands)");
        command.Add(url);
        foreach (var option in new Option[] { http11, http2, priorKnowledge, http3, http3Only, quic, qpack, script, record, noFrames, hex, hpack, caCert, insecure, connectTimeout, timeout, strict, har, quicVersion })
        {
            command.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            if (new[] { http11, http2, priorKnowledge, http3, http3Only }.Count(o => result.GetValue(o)) > 1)
            {
                throw new HxiException(FailureKind.Usage, "use only one of --http1.1, --http2, --http2-prior-knowledge, --http3 and --http3-only");
            }

            var mode = result.GetValue(http11) ? ProtocolMode.Http11
                : result.GetValue(http2) ? ProtocolMode.Http2
                : result.GetValue(priorKnowledge) ? ProtocolMode.Http2PriorKnowledge
                : result.GetValue(http3) ? ProtocolMode.Http3
                : result.GetValue(http3Only) ? ProtocolMode.Http3Only
                : ProtocolMode.Auto;
            var target = ParseUrl(result.GetValue(url)!);
            if (mode is ProtocolMode.Http3 or ProtocolMode.Http3Only && target.Scheme != Uri.UriSchemeHttps)
            {
                throw new HxiException(FailureKind.Usage, "HTTP/3 runs over QUIC, which always uses TLS: give an https:// URL");
            }

            var settings = new ReplSettings
            {
                Url = target,
                Mode = mode,
                ScriptFile = result.GetValue(script),
                RecordFile = result.GetValue(record),
                View = new WireViewOptions(!result.GetValue(noFrames), result.GetValue(hex), result.GetValue(hpack))
                {
                    Quic = result.GetValue(quic),
                    Qpack = result.GetValue(qpack),
                },
                CaCertificate = result.GetValue(caCert),
                Insecure = result.GetValue(insecure),
                ConnectTimeout = Seconds(result.GetValue(connectTimeout), "--connect-timeout"),
                RequestTimeout = Seconds(result.GetValue(timeout), "--timeout") ?? ReplSettings.DefaultRequestTimeout,
                HarFile = result.GetValue(har),
                Strict = result.GetValue(strict),
                QuicVersion = result.GetValue(quicVersion) is { } version ? Commands.RequestCommand.ParseQuicVersion(version) : Protocols.Quic.Packets.QuicVersion.Version1,
            };
            // The REPL answers Ctrl-C itself (stop the running command, or end the session at the prompt),
            // so the token System.CommandLine cancels on Ctrl-C is not passed on.
            return await ReplRunner.RunOnConsoleAsync(settings, CancellationToken.None);
        });
        return command;
    }

    private static Uri ParseUrl(string text)
    {
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new HxiException(FailureKind.Usage, $"'{text}' is not an http:// or https:// URL");
        }

        return url;
    }

    private static TimeSpan? Seconds(double? value, string option) => value switch
    {
        null => null,
        > 0 and < 86_400 => TimeSpan.FromSeconds(value.Value),
        _ => throw new HxiException(FailureKind.Usage, $"{option} takes seconds between 0 and 86400, not {value}"),
    };
}
