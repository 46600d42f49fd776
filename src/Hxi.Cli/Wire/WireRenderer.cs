using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hxi.Cli.Output;
using Hxi.Net.Http1;
using Hxi.Protocols.Http1;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>
/// The human wire view: every frame as it is sent or received, its fields decoded, header fields
/// under the frame that carried them, and optionally the exact bytes as an xxd-style dump.
/// </summary>
public sealed class WireRenderer(TextWriter output, WireViewOptions view, Palette palette, Stopwatch clock) : IWireTap
{
    private const string Indent = "          ";
    private const int MaxTextBytes = 4096;

    private readonly Lock _gate = new();

    // A HEADERS (or PUSH_PROMISE, or last CONTINUATION) frame whose decoded fields come in the next record: the two are
    // written as one, so a line from another thread (the REPL's summary of another stream) cannot fall between them.
    private string _heldHead = "";

    /// <summary>The view can change while a connection is live (the REPL's <c>set hex on</c>).</summary>
    public WireViewOptions View { get; set; } = view;

    public void Record(in WireRecord record)
    {
        if (!View.Any)
        {
            return;
        }

        var text = new StringBuilder();
        if (record.Decoded is UnparsedBytes unparsed)
        {
            RenderUnparsed(text, record, unparsed);
        }
        else
        {
            RenderLayer(text, record);
        }

        lock (_gate)
        {
            var whole = _heldHead + text;
            _heldHead = "";
            if (text.Length > 0 && FieldsFollow(record))
            {
                _heldHead = whole;
                return;
            }

            if (whole.Length > 0)
            {
                output.Write(whole);
                output.Flush();
            }
        }
    }

    /// <summary>True for a frame that completes a field block: the core reports the decoded fields right after it.</summary>
    private static bool FieldsFollow(in WireRecord record) => record.Decoded switch
    {
        HeadersFrame { EndHeaders: true } or ContinuationFrame { EndHeaders: true } or PushPromiseFrame { EndHeaders: true } => record.Layer == WireLayer.Http2,
        Http3FrameTrace { Frame: Protocols.Http3.Frames.HeadersFrame or Protocols.Http3.Frames.PushPromiseFrame } => true,
        _ => false,
    };

    private void RenderLayer(StringBuilder text, in WireRecord record)
    {
        switch (record.Layer)
        {
            case WireLayer.Http2:
                RenderHttp2(text, record);
                break;
            case WireLayer.Hpack when record.Decoded is Http2HeaderBlock block:
                RenderHeaderBlock(text, block);
                break;
            case WireLayer.Http1:
                RenderHttp1(text, record);
                break;
            case WireLayer.Quic:
                RenderQuic(text, record);
                break;
            case WireLayer.Http3:
                RenderHttp3(text, record);
                break;
            case WireLayer.Qpack:
                RenderQpack(text, record);
                break;
            case WireLayer.Connection:
                text.Append(Stamp(record.Direction)).Append(palette.Dim(record.Decoded?.ToString() ?? "")).Append('\n');
                break;
        }
    }

    /// <summary>
    /// Bytes a core could not parse, in any view that shows their layer: what they are as text (escaped where
    /// they are not), and with --hex every byte, so the line that follows is never the first sign of them.
    /// </summary>
    private void RenderUnparsed(StringBuilder text, in WireRecord record, UnparsedBytes unparsed)
    {
        var shown = record.Layer switch
        {
            WireLayer.Quic => View.Quic,
            WireLayer.Http3 or WireLayer.Qpack => View.Frames || View.Qpack,
            _ => View.Any,
        };
        if (!shown)
        {
            return;
        }

        var bytes = record.Bytes.Span;
        text.Append($"[{Elapsed()}] {Verb(record.Direction)} {palette.Red($"{bytes.Length} bytes hxi could not parse")}\n");
        text.Append(Indent).Append(palette.Red(unparsed.Reason)).Append('\n');
        const int rawLimit = 256;
        text.Append(Indent).Append(Escaped(bytes[..Math.Min(bytes.Length, rawLimit)]));
        text.Append(bytes.Length > rawLimit ? palette.Dim($" ... {bytes.Length - rawLimit} more bytes") : "").Append('\n');
        if (View.Hex)
        {
            AppendHex(text, record.Bytes);
        }
    }

    /// <summary>A connection-level note (connect, TLS summary) in the same timeline.</summary>
    public void Note(string message)
    {
        if (!View.Any)
        {
            return;
        }

        lock (_gate)
        {
            output.Write(_heldHead);
            _heldHead = "";
            output.WriteLine($"[{Elapsed()}] {palette.Dim(message)}");
            output.Flush();
        }
    }

    private void RenderQuic(StringBuilder text, in WireRecord record)
    {
        if (!View.Quic)
        {
            return;
        }

        var verb = Verb(record.Direction);
        switch (record.Decoded)
        {
            case QuicDatagramTrace datagram:
                // Marked datagrams say so (RFC 9000 13.4); Not-ECT, the usual case, stays quiet.
                var ecn = datagram.Ecn == EcnCodepoint.NotEct ? "" : $", {EcnCodepoints.Name(datagram.Ecn)}";
                text.Append($"[{Elapsed()}] {verb} {palette.Dim($"UDP datagram of {datagram.Length} bytes, {datagram.PacketCount} packet(s){ecn}")}\n");
                break;
            case EcnStateChange change:
                text.Append($"[{Elapsed()}] {palette.Dim($"ECN {EcnValidator.Name(change.Old)} -> {EcnValidator.Name(change.New)}: {change.Trigger}")}\n");
                break;
            case EcnCongestionExperienced ce:
                text.Append($"[{Elapsed()}] {palette.Yellow($"ECN-CE count now {ce.CeCount}: " + (ce.ReducedWindow ? $"congestion window {ce.WindowBefore} -> {ce.WindowAfter}" : "already reduced this round trip"))}\n");
                break;
            case QuicPacketTrace packet:
                text.Append($"[{Elapsed()}] {verb} {palette.Yellow(QuicFormatter.Title(packet))}\n");
                foreach (var line in QuicFormatter.Frames(packet))
                {
                    text.Append(Indent).Append(line.StartsWith("CONNECTION_CLOSE", StringComparison.Ordinal) ? palette.Red(line) : palette.Dim(line)).Append('\n');
                }

                if (View.Hex && record.Bytes.Length > 0)
                {
                    text.Append(Indent).Append(palette.Dim(HexLabel(record.Direction, packet))).Append('\n');
                    AppendHex(text, record.Bytes);
                }

                break;
        }
    }

    /// <summary>
    /// Which bytes the dump shows: a sent packet is dumped as it left (protected); a received one is decrypted in place,
    /// so its dump is the clear header and payload, unless it could not be decrypted.
    /// </summary>
    private static string HexLabel(WireDirection direction, QuicPacketTrace packet) =>
        direction == WireDirection.Sent ? "; bytes as sent: header protection and AEAD applied"
        : packet.PacketNumber >= 0 ? "; bytes after removing protection: clear header and payload (the last 16 bytes are the AEAD tag)"
        : "; bytes as received (protected)";

    private void RenderHttp3(StringBuilder text, in WireRecord record)
    {
        // --hex alone shows frames, as it does over HTTP/2.
        if (!View.Frames && !View.Qpack && !View.Hex)
        {
            return;
        }

        var verb = Verb(record.Direction);
        switch (record.Decoded)
        {
            case Http3FrameTrace frame:
                text.Append($"[{Elapsed()}] {verb} {palette.Cyan(Http3Formatter.Title(frame))}\n");
                foreach (var line in Http3Formatter.Details(frame))
                {
                    text.Append(Indent).Append(palette.Dim(line)).Append('\n');
                }

                if (View.Hex && record.Bytes.Length > 0)
                {
                    AppendHex(text, record.Bytes);
                }

                break;
            case Http3StreamTypeTrace stream:
                text.Append($"[{Elapsed()}] {verb} {palette.Magenta(Http3Formatter.StreamType(stream))}\n");
                break;
        }
    }

    private void RenderQpack(StringBuilder text, in WireRecord record)
    {
        switch (record.Decoded)
        {
            case QpackSectionTrace section when View.Frames || View.Qpack || View.Hex:
                foreach (var line in section.Lines)
                {
                    text.Append(Indent).Append(palette.Bold(line.Field.Name)).Append(": ").Append(line.Field.Value).Append('\n');
                    if (View.Qpack)
                    {
                        text.Append(Indent).Append("    ").Append(palette.Magenta(Http3Formatter.Describe(line))).Append('\n');
                    }
                }

                if (View.Qpack)
                {
                    text.Append(Indent).Append(palette.Dim($"; QPACK prefix: Required Insert Count {section.RequiredInsertCount}, Base {section.Base}{(section.WasBlocked ? ", was blocked" : "")}")).Append('\n');
                }

                break;
            case QpackInstructionTrace instruction when View.Qpack:
                text.Append($"[{Elapsed()}] {Verb(record.Direction)} {palette.Magenta(Http3Formatter.Describe(instruction))}\n");
                break;
        }
    }

    /// <summary>A TLS handshake message carried in QUIC CRYPTO frames (--quic).</summary>
    public void TlsMessage(WireDirection direction, Hxi.Protocols.Tls.TlsHandshakeMessage message, int length, Hxi.Protocols.Quic.QuicRole sender)
    {
        if (!View.Quic)
        {
            return;
        }

        var text = new StringBuilder();
        text.Append($"[{Elapsed()}] {Verb(direction)} {palette.Green(TlsMessageFormatter.Title(message, length))}\n");
        foreach (var line in TlsMessageFormatter.Details(message, sender))
        {
            text.Append(Indent).Append(palette.Dim(line)).Append('\n');
        }

        lock (_gate)
        {
            output.Write(text.ToString());
            output.Flush();
        }
    }

    private void RenderHttp2(StringBuilder text, in WireRecord record)
    {
        var verb = Verb(record.Direction);
        switch (record.Decoded)
        {
            case Http2Preface:
                text.Append($"[{Elapsed()}] {verb} {palette.Bold("PREFACE")} {palette.Dim("PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n")} ({record.Bytes.Length} bytes)\n");
                break;
            case Http2Frame frame:
                var title = Http2FrameFormatter.Title(frame, record.Bytes.Length - Http2FrameHeader.Size);
                text.Append($"[{Elapsed()}] {verb} {Colour(frame, title)}\n");
                foreach (var line in Http2FrameFormatter.Details(frame))
                {
                    text.Append(Indent).Append(Explain(frame, line)).Append('\n');
                }

                break;
            case Http2MalformedFrame malformed:
                text.Append($"[{Elapsed()}] {verb} {palette.Red($"malformed frame type=0x{malformed.Header.Type:x2} length={malformed.Header.Length} stream_id={malformed.Header.StreamId}")}\n");
                text.Append(Indent).Append(palette.Red(malformed.Reason)).Append('\n');
                break;
        }

        if (View.Hex)
        {
            AppendHex(text, record.Bytes);
        }
    }

    // An error code on the wire is the peer's verdict: show it in red so it cannot be missed.
    private string Explain(Http2Frame frame, string line) =>
        frame is GoAwayFrame { ErrorCode: not 0 } or RstStreamFrame ? palette.Red(line) : palette.Dim(line);

    private string Colour(Http2Frame frame, string title) => frame switch
    {
        HeadersFrame or ContinuationFrame or PushPromiseFrame => palette.Cyan(title),
        DataFrame => palette.Green(title),
        GoAwayFrame or RstStreamFrame => palette.Red(title),
        UnknownFrame => palette.Magenta(title),
        _ => palette.Yellow(title),
    };

    private void RenderHeaderBlock(StringBuilder text, Http2HeaderBlock block)
    {
        if (block.PromisedStreamId is { } promised)
        {
            text.Append(Indent).Append(palette.Dim($"; promised stream {promised} request:")).Append('\n');
        }

        for (var i = 0; i < block.Fields.Count; i++)
        {
            var field = block.Fields[i];
            text.Append(Indent).Append(palette.Bold(field.Name)).Append(": ").Append(field.Value).Append('\n');
        }

        if (View.Hpack && block.Representations is { } representations)
        {
            text.Append(Indent).Append(palette.Dim("; HPACK representations:")).Append('\n');
            foreach (var representation in representations)
            {
                text.Append(Indent).Append("  ").Append(palette.Magenta(HpackFormatter.Describe(representation))).Append('\n');
                text.Append(Indent).Append("    ").Append(palette.Dim(Convert.ToHexStringLower(representation.Encoded.Span))).Append('\n');
            }

            text.Append(Indent).Append(palette.Dim($"; dynamic table: {block.DynamicTableCount} entries, {block.DynamicTableSize} bytes")).Append('\n');
        }
    }

    private void RenderHttp1(StringBuilder text, in WireRecord record)
    {
        var verb = Verb(record.Direction);
        switch (record.Decoded)
        {
            case null when record.Direction == WireDirection.Received:
                // Line ends between chunks carry no meaning; the hex view still shows them.
                break;
            case Http1ChunkStarted chunk:
                text.Append(Indent).Append(palette.Dim($"; chunk of {chunk.Size} bytes{(chunk.Extensions is { Length: > 0 } ext ? $" (extensions {ext})" : "")}: ")).Append(Visible(record.Bytes.Span)).Append('\n');
                break;
            case Http1BodyBytes body:
                text.Append($"[{Elapsed()}] {verb} {palette.Dim($"{body.Length} bytes of request body")}\n");
                break;
            case Http1BodyDataReceived:
                text.Append($"[{Elapsed()}] {verb} {palette.Dim($"{record.Bytes.Length} bytes of body")}\n");
                AppendText(text, record.Bytes.Span);
                break;
            default:
                text.Append($"[{Elapsed()}] {verb} {palette.Dim($"{record.Bytes.Length} bytes")}\n");
                AppendText(text, record.Bytes.Span);
                break;
        }

        if (View.Hex && text.Length > 0)
        {
            AppendHex(text, record.Bytes);
        }
    }

    /// <summary>Bytes as they are where printable, C escapes elsewhere: "\x00\x00\x06\x04".</summary>
    private static string Escaped(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return text.ToString();
    }

    private string Visible(ReadOnlySpan<byte> line) =>
        Encoding.Latin1.GetString(line).Replace("\r", "").Replace("\n", "") + palette.Dim("\\r\\n");

    private void AppendText(StringBuilder text, ReadOnlySpan<byte> bytes)
    {
        var shown = bytes[..Math.Min(bytes.Length, MaxTextBytes)];
        if (!IsText(shown))
        {
            text.Append(Indent).Append(palette.Dim($"<{bytes.Length} bytes of binary data>")).Append('\n');
            return;
        }

        var lines = Encoding.Latin1.GetString(shown).Split('\n');
        // Text ending in a newline splits into a last, empty piece that is not a line.
        var count = lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        foreach (var line in lines.AsSpan(0, count))
        {
            text.Append(Indent).Append(line.TrimEnd('\r')).Append(line.EndsWith('\r') ? palette.Dim("\\r\\n") : "").Append('\n');
        }

        if (bytes.Length > shown.Length)
        {
            text.Append(Indent).Append(palette.Dim($"... {bytes.Length - shown.Length} more bytes")).Append('\n');
        }
    }

    /// <summary>Text means no control bytes other than tab, CR and LF.</summary>
    internal static bool IsText(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b < 0x09 || (b > 0x0d && b < 0x20) || b == 0x7f)
            {
                return false;
            }
        }

        return true;
    }

    private void AppendHex(StringBuilder text, ReadOnlyMemory<byte> bytes)
    {
        foreach (var line in HexDump.Lines(bytes))
        {
            text.Append(Indent).Append(palette.Dim(line)).Append('\n');
        }
    }

    private string Verb(WireDirection direction) =>
        direction == WireDirection.Sent ? palette.Blue("send") : palette.Magenta("recv");

    private string Stamp(WireDirection direction) => $"[{Elapsed()}] {Verb(direction)} ";

    private string Elapsed() => clock.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture).PadLeft(7);
}
