using System.Buffers.Binary;
using System.Text;
using Hxi.Net.Client;

namespace Hxi.Net.Tests;

/// <summary>What hxi must send back to a hostile HTTP/2 server: a GOAWAY or an RST_STREAM on stream 1, with this code.</summary>
public sealed record Http2Answer(byte FrameType, string Code)
{
    public static Http2Answer GoAway(string code) => new(WireFrame.GoAway, code);

    public static Http2Answer Reset(string code) => new(WireFrame.RstStream, code);

    public override string ToString() => $"{(FrameType == WireFrame.GoAway ? "GOAWAY" : "RST_STREAM")} {Code}";
}

/// <summary>
/// One hostile HTTP/2 server behaviour: what it sends after the client's request (or from the first byte, when
/// <paramref name="FromStart"/>), the RFC section it breaks, and what hxi must do: exit status, the RFC code in its one
/// stderr line (and <paramref name="Says"/>, a word naming the violation), and the frame it sends back.
/// A case with <paramref name="Exit"/> 0 is a server within the rules that hxi must not reject.
/// </summary>
public sealed record Http2HostileCase(
    string Name,
    string Rfc,
    byte[] Attack,
    int Exit,
    string? Code,
    Http2Answer? Answer,
    string? Says = null,
    bool FromStart = false);

/// <summary>
/// The table of hostile HTTP/2 servers: the server side of every MUST an HTTP/2 client enforces (RFC 9113, RFC 7541).
/// Adding a case is one line here.
/// </summary>
public static class HostileHttp2Cases
{
    private const int ProtocolExit = 6, ResetExit = 7;

    private const byte Priority = 0x2, PushPromise = 0x5, Ping = 0x6;

    public static readonly IReadOnlyList<Http2HostileCase> All =
    [
        // RFC 9113 Section 3.4: the server connection preface is a SETTINGS frame; anything else is PROTOCOL_ERROR.
        new("first-frame-ping", "9113 3.4", F(Ping, 0, 0, new byte[8]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "SETTINGS", FromStart: true),

        // RFC 9113 Section 6.5 and 6.5.2: SETTINGS.
        new("settings-length-not-multiple-of-6", "9113 6.5", F(WireFrame.Settings, 0, 0, 0, 1, 0, 0, 0), ProtocolExit, "FRAME_SIZE_ERROR", Http2Answer.GoAway("FRAME_SIZE_ERROR"), "SETTINGS"),
        new("settings-ack-with-payload", "9113 6.5", F(WireFrame.Settings, WireFrame.Ack, 0, Settings((0x3, 100))), ProtocolExit, "FRAME_SIZE_ERROR", Http2Answer.GoAway("FRAME_SIZE_ERROR"), "SETTINGS"),
        new("settings-on-a-stream", "9113 6.5", F(WireFrame.Settings, 0, 1), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "SETTINGS"),
        new("settings-enable-push-2", "9113 6.5.2", F(WireFrame.Settings, 0, 0, Settings((0x2, 2))), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "ENABLE_PUSH"),
        new("settings-initial-window-above-2^31-1", "9113 6.5.2", F(WireFrame.Settings, 0, 0, Settings((0x4, 0x8000_0000))), ProtocolExit, "FLOW_CONTROL_ERROR", Http2Answer.GoAway("FLOW_CONTROL_ERROR"), "INITIAL_WINDOW_SIZE"),
        new("settings-max-frame-size-below-2^14", "9113 6.5.2", F(WireFrame.Settings, 0, 0, Settings((0x5, 16_383))), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "MAX_FRAME_SIZE"),
        new("settings-max-frame-size-above-2^24-1", "9113 6.5.2", F(WireFrame.Settings, 0, 0, Settings((0x5, 1 << 24))), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "MAX_FRAME_SIZE"),

        // RFC 9113 Section 4.2: a frame past the SETTINGS_MAX_FRAME_SIZE we announce by default.
        new("frame-larger-than-max-frame-size", "9113 4.2", F(WireFrame.Data, 0, 1, new byte[ClientOptions.DefaultHttp2MaxFrameSize + 1]), ProtocolExit, "FRAME_SIZE_ERROR", Http2Answer.GoAway("FRAME_SIZE_ERROR"), "SETTINGS_MAX_FRAME_SIZE"),

        // Frames on the wrong stream (RFC 9113 Sections 6.1-6.9).
        new("data-on-stream-0", "9113 6.1", F(WireFrame.Data, 0, 0, (byte)'x'), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "DATA"),
        new("headers-on-stream-0", "9113 6.2", F(WireFrame.Headers, WireFrame.EndHeaders, 0, 0x88), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "HEADERS"),
        new("priority-on-stream-0", "9113 6.3", F(Priority, 0, 0, 0, 0, 0, 1, 16), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "PRIORITY"),
        new("rst-stream-on-stream-0", "9113 6.4", F(WireFrame.RstStream, 0, 0, 0, 0, 0, 8), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "RST_STREAM"),
        new("ping-on-a-stream", "9113 6.7", F(Ping, 0, 1, new byte[8]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "PING"),
        new("goaway-on-a-stream", "9113 6.8", F(WireFrame.GoAway, 0, 1, new byte[8]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "GOAWAY"),
        new("data-on-idle-stream-3", "9113 5.1", F(WireFrame.Data, 0, 3, (byte)'x'), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "idle"),
        new("data-on-idle-server-stream-2", "9113 5.1", F(WireFrame.Data, 0, 2, (byte)'x'), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "idle"),
        new("push-promise-with-push-disabled", "9113 6.6", F(PushPromise, WireFrame.EndHeaders, 1, 0, 0, 0, 2, 0x82, 0x86, 0x84), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "PUSH_PROMISE"),

        // Frames of the wrong size.
        new("ping-of-7-bytes", "9113 6.7", F(Ping, 0, 0, new byte[7]), ProtocolExit, "FRAME_SIZE_ERROR", Http2Answer.GoAway("FRAME_SIZE_ERROR"), "PING"),
        new("rst-stream-of-3-bytes", "9113 6.4", F(WireFrame.RstStream, 0, 1, 0, 0, 8), ProtocolExit, "FRAME_SIZE_ERROR", Http2Answer.GoAway("FRAME_SIZE_ERROR"), "RST_STREAM"),
        new("window-update-of-3-bytes", "9113 6.9", F(WireFrame.WindowUpdate, 0, 0, 0, 0, 1), ProtocolExit, "FRAME_SIZE_ERROR", Http2Answer.GoAway("FRAME_SIZE_ERROR"), "WINDOW_UPDATE"),
        new("priority-of-4-bytes", "9113 6.3", F(Priority, 0, 1, 0, 0, 0, 3), ProtocolExit, "FRAME_SIZE_ERROR", Http2Answer.Reset("FRAME_SIZE_ERROR"), "PRIORITY"),

        // Flow control (RFC 9113 Section 6.9).
        new("window-update-0-on-the-connection", "9113 6.9", F(WireFrame.WindowUpdate, 0, 0, 0, 0, 0, 0), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "WINDOW_UPDATE"),
        new("window-update-0-on-a-stream", "9113 6.9", F(WireFrame.WindowUpdate, 0, 1, 0, 0, 0, 0), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "WINDOW_UPDATE"),
        new("connection-window-past-2^31-1", "9113 6.9.1", F(WireFrame.WindowUpdate, 0, 0, 0x7f, 0xff, 0xff, 0xff), ProtocolExit, "FLOW_CONTROL_ERROR", Http2Answer.GoAway("FLOW_CONTROL_ERROR"), "WINDOW_UPDATE"),
        new("stream-window-past-2^31-1", "9113 6.9.1", F(WireFrame.WindowUpdate, 0, 1, 0x7f, 0xff, 0xff, 0xff), ProtocolExit, "FLOW_CONTROL_ERROR", Http2Answer.Reset("FLOW_CONTROL_ERROR"), "WINDOW_UPDATE"),

        // Header blocks: CONTINUATION and padding (RFC 9113 Sections 6.1, 6.2, 6.10).
        new("continuation-without-headers", "9113 6.10", F(WireFrame.Continuation, WireFrame.EndHeaders, 1, 0x88), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "CONTINUATION"),
        new("ping-inside-a-header-block", "9113 6.10", [.. F(WireFrame.Headers, 0, 1, 0x88), .. F(Ping, 0, 0, new byte[8])], ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "CONTINUATION"),
        new("continuation-on-another-stream", "9113 6.10", [.. F(WireFrame.Headers, 0, 1, 0x88), .. F(WireFrame.Continuation, WireFrame.EndHeaders, 3)], ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "CONTINUATION"),
        new("continuation-flood", "9113 10.5", ContinuationFlood(), ProtocolExit, "ENHANCE_YOUR_CALM", Http2Answer.GoAway("ENHANCE_YOUR_CALM"), "CONTINUATION"),
        new("headers-padding-past-the-payload", "9113 6.2", F(WireFrame.Headers, WireFrame.Padded | WireFrame.EndHeaders, 1, 200, 0x88), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "pad"),
        new("data-padding-past-the-payload", "9113 6.1", [.. Head(WireFrame.EndHeaders, 0x88), .. F(WireFrame.Data, WireFrame.Padded, 1, 10, (byte)'x')], ProtocolExit, "PROTOCOL_ERROR", Http2Answer.GoAway("PROTOCOL_ERROR"), "pad"),

        // HPACK (RFC 7541): any decoding error is a connection error COMPRESSION_ERROR (RFC 9113 Section 4.3).
        new("hpack-index-0", "7541 6.1", F(WireFrame.Headers, WireFrame.EndHeaders, 1, 0x80), ProtocolExit, "COMPRESSION_ERROR", Http2Answer.GoAway("COMPRESSION_ERROR")),
        new("hpack-index-past-both-tables", "7541 2.3.3", F(WireFrame.Headers, WireFrame.EndHeaders, 1, 0xc0), ProtocolExit, "COMPRESSION_ERROR", Http2Answer.GoAway("COMPRESSION_ERROR")),
        new("hpack-table-size-update-past-our-limit", "7541 6.3", F(WireFrame.Headers, WireFrame.EndHeaders, 1, 0x3f, 0xe1, 0x3f, 0x88), ProtocolExit, "COMPRESSION_ERROR", Http2Answer.GoAway("COMPRESSION_ERROR")),
        new("hpack-table-size-update-after-a-field", "7541 4.2", F(WireFrame.Headers, WireFrame.EndHeaders, 1, 0x88, 0x20), ProtocolExit, "COMPRESSION_ERROR", Http2Answer.GoAway("COMPRESSION_ERROR")),
        new("hpack-huffman-padding-not-ones", "7541 5.2", F(WireFrame.Headers, WireFrame.EndHeaders, 1, 0x88, 0x00, 0x01, (byte)'x', 0x81, 0x00), ProtocolExit, "COMPRESSION_ERROR", Http2Answer.GoAway("COMPRESSION_ERROR")),
        new("hpack-huffman-eos", "7541 5.2", F(WireFrame.Headers, WireFrame.EndHeaders, 1, 0x88, 0x00, 0x01, (byte)'x', 0x84, 0xff, 0xff, 0xff, 0xff), ProtocolExit, "COMPRESSION_ERROR", Http2Answer.GoAway("COMPRESSION_ERROR")),
        new("hpack-integer-overflow", "7541 5.1", F(WireFrame.Headers, WireFrame.EndHeaders, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), ProtocolExit, "COMPRESSION_ERROR", Http2Answer.GoAway("COMPRESSION_ERROR")),
        new("hpack-string-past-the-block", "7541 5.2", F(WireFrame.Headers, WireFrame.EndHeaders, 1, 0x88, 0x00, 0x05, (byte)'x'), ProtocolExit, "COMPRESSION_ERROR", Http2Answer.GoAway("COMPRESSION_ERROR")),

        // The server ends the exchange itself: hxi reports its code (README "Exit status").
        new("server-resets-the-stream", "9113 6.4", F(WireFrame.RstStream, 0, 1, 0, 0, 0, 8), ResetExit, "CANCEL", null, "reset"),
        new("server-goaway-with-an-error", "9113 6.8", F(WireFrame.GoAway, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xb), ProtocolExit, "ENHANCE_YOUR_CALM", null, "GOAWAY"),

        // Within the rules: hxi must take these and print the response.
        new("unknown-frame-type-is-ignored", "9113 5.5", [.. F(0xfa, 0, 1, (byte)'?'), .. Response()], 0, null, null),
        new("unknown-setting-is-ignored", "9113 6.5.2", [.. F(WireFrame.Settings, 0, 0, Settings((0x7f7f, 1))), .. Response()], 0, null, null),
        new("informational-responses-before-the-final-one", "9113 8.1", [.. Head(WireFrame.EndHeaders, Literal(":status", "103")), .. Head(WireFrame.EndHeaders, Literal(":status", "100")), .. Response()], 0, null, null),
        new("trailers", "9113 8.1", [.. Head(WireFrame.EndHeaders, 0x88), .. F(WireFrame.Data, 0, 1, (byte)'x'), .. Head(WireFrame.EndHeaders | WireFrame.EndStream, Literal("x-checksum", "1"))], 0, null, null),

        // Malformed responses (RFC 9113 Sections 8.1-8.3): a stream error PROTOCOL_ERROR.
        new("no-status", "9113 8.3.2", Head(WireFrame.EndHeaders | WireFrame.EndStream, Literal("x", "y")), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), ":status"),
        new("status-of-two-digits", "9113 8.3.2", Head(WireFrame.EndHeaders | WireFrame.EndStream, Literal(":status", "20")), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), ":status"),
        new("status-twice", "9113 8.3", Head(WireFrame.EndHeaders | WireFrame.EndStream, 0x88, 0x88), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), ":status"),
        new("pseudo-header-after-a-regular-field", "9113 8.3", Head(WireFrame.EndHeaders | WireFrame.EndStream, [.. Literal("x", "y"), 0x88]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), ":status"),
        new("request-pseudo-header-in-a-response", "9113 8.3", Head(WireFrame.EndHeaders | WireFrame.EndStream, [0x88, .. Literal(":path", "/")]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), ":path"),
        new("unknown-pseudo-header", "9113 8.3", Head(WireFrame.EndHeaders | WireFrame.EndStream, [0x88, .. Literal(":foo", "bar")]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), ":foo"),
        new("upper-case-field-name", "9113 8.2.1", Head(WireFrame.EndHeaders | WireFrame.EndStream, [0x88, .. Literal("X-Upper", "1")]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "X-Upper"),
        new("connection-field", "9113 8.2.2", Head(WireFrame.EndHeaders | WireFrame.EndStream, [0x88, .. Literal("connection", "close")]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "connection"),
        new("transfer-encoding-field", "9113 8.2.2", Head(WireFrame.EndHeaders | WireFrame.EndStream, [0x88, .. Literal("transfer-encoding", "chunked")]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "transfer-encoding"),
        new("te-other-than-trailers", "9113 8.2.2", Head(WireFrame.EndHeaders | WireFrame.EndStream, [0x88, .. Literal("te", "gzip")]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "te"),
        new("line-feed-in-a-value", "9113 8.2.1", Head(WireFrame.EndHeaders | WireFrame.EndStream, [0x88, .. Literal("x", "a\nb")]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "value"),
        new("leading-space-in-a-value", "9113 8.2.1", Head(WireFrame.EndHeaders | WireFrame.EndStream, [0x88, .. Literal("x", " b")]), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "value"),
        new("content-length-above-the-data", "9113 8.1.1", [.. Head(WireFrame.EndHeaders, [0x88, .. Literal("content-length", "1000")]), .. F(WireFrame.Data, WireFrame.EndStream, 1, new byte[10])], ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "content-length"),
        new("content-length-below-the-data", "9113 8.1.1", [.. Head(WireFrame.EndHeaders, [0x88, .. Literal("content-length", "2")]), .. F(WireFrame.Data, WireFrame.EndStream, 1, new byte[10])], ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "content-length"),
        new("pseudo-header-in-trailers", "9113 8.1", [.. Head(WireFrame.EndHeaders, 0x88), .. Head(WireFrame.EndHeaders | WireFrame.EndStream, 0x88)], ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "trailers"),
        new("headers-after-the-trailers", "9113 8.1", [.. Head(WireFrame.EndHeaders, 0x88), .. Head(WireFrame.EndHeaders, Literal("x", "1")), .. Head(WireFrame.EndHeaders | WireFrame.EndStream, Literal("y", "2"))], ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "HEADERS"),
        new("data-before-headers", "9113 8.1", [.. F(WireFrame.Data, 0, 1, (byte)'x'), .. Response()], ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "DATA"),
        new("informational-response-ending-the-stream", "9113 8.1", Head(WireFrame.EndHeaders | WireFrame.EndStream, Literal(":status", "100")), ProtocolExit, "PROTOCOL_ERROR", Http2Answer.Reset("PROTOCOL_ERROR"), "100"),
    ];

    public static Http2HostileCase Named(string name) => All.Single(c => c.Name == name);

    /// <summary>A frame on the wire: 9-byte header and payload (RFC 9113 Section 4.1).</summary>
    private static byte[] F(byte type, byte flags, int streamId, params byte[] payload) => RawFrameStream.Frame(type, flags, streamId, payload);

    /// <summary>HEADERS on stream 1 carrying this HPACK block.</summary>
    private static byte[] Head(byte flags, params byte[] block) => F(WireFrame.Headers, flags, 1, block);

    /// <summary>A good response: ":status: 200" (static index 8) and a 2-byte body.</summary>
    private static byte[] Response() => [.. Head(WireFrame.EndHeaders, 0x88), .. F(WireFrame.Data, WireFrame.EndStream, 1, "ok"u8.ToArray())];

    /// <summary>SETTINGS parameters: 16-bit identifier, 32-bit value (RFC 9113 Section 6.5.1).</summary>
    private static byte[] Settings(params (int Id, long Value)[] parameters)
    {
        var payload = new byte[6 * parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(6 * i), (ushort)parameters[i].Id);
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(6 * i + 2), (uint)parameters[i].Value);
        }

        return payload;
    }

    /// <summary>Literal Header Field without Indexing, New Name, no Huffman (RFC 7541 Section 6.2.2); short strings only.</summary>
    private static byte[] Literal(string name, string value) =>
        [0x00, (byte)name.Length, .. Encoding.ASCII.GetBytes(name), (byte)value.Length, .. Encoding.ASCII.GetBytes(value)];

    /// <summary>HEADERS without END_HEADERS, then CONTINUATIONs that never end the block (CVE-2024-27316 style).</summary>
    private static byte[] ContinuationFlood()
    {
        var flood = new MemoryStream();
        flood.Write(F(WireFrame.Headers, 0, 1, 0x88));
        for (var i = 0; i < 2_000; i++)
        {
            flood.Write(F(WireFrame.Continuation, 0, 1));
        }

        return flood.ToArray();
    }
}
