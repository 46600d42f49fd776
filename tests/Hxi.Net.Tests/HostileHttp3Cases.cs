using System.Text;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Parameters;

namespace Hxi.Net.Tests;

/// <summary>
/// One hostile HTTP/3 (or QUIC) server behaviour: what it does once the client's request HEADERS are in, the RFC section
/// it breaks, and what hxi must do: exit status, the RFC code in its one stderr line (and <paramref name="Says"/>, a word
/// naming the violation), and the code of the CONNECTION_CLOSE it sends (<paramref name="Closes"/>: an HTTP/3 code in an
/// application close, or a QUIC transport code when <paramref name="TransportClose"/>). <paramref name="ControlPreamble"/>
/// replaces the empty SETTINGS the control stream opens with; <paramref name="Parameters"/> rewrites the server's
/// transport parameters. A case with <paramref name="Exit"/> 0 is a server within the rules that hxi must not reject.
/// </summary>
public sealed record Http3HostileCase(
    string Name,
    string Rfc,
    Action<HostileHttp3Streams> Attack,
    int Exit,
    string? Code,
    string Closes,
    bool TransportClose = false,
    string? Says = null,
    byte[]? ControlPreamble = null,
    Func<QuicTransportParameters, QuicTransportParameters>? Parameters = null);

/// <summary>
/// The table of hostile HTTP/3 and QUIC servers: the server side of every MUST an HTTP/3 client enforces (RFC 9114,
/// RFC 9204, RFC 9000), built on hxi's own QUIC server role writing raw frames. Adding a case is one line here.
/// </summary>
public static class HostileHttp3Cases
{
    private const int ProtocolExit = 6, ResetExit = 7;

    private const long CancelPush = 0x03, PushPromise = 0x05, GoAway = 0x07, MaxPushId = 0x0d, Http2Ping = 0x06;

    /// <summary>A reserved frame, stream and setting type (0x1f * N + 0x21 with N = 0), one varint byte.</summary>
    private const byte Reserved = 0x21;

    private const byte PushStream = 0x01;

    private static readonly byte[] Settings = RawHttp3.Frame(RawHttp3.Settings);

    public static readonly IReadOnlyList<Http3HostileCase> All =
    [
        // The control stream (RFC 9114 Sections 6.2.1 and 7.2).
        new("control-stream-without-settings-first", "9114 6.2.1", h3 => h3.Control(RawHttp3.Frame(GoAway, 4)), ProtocolExit, "H3_MISSING_SETTINGS", "H3_MISSING_SETTINGS", ControlPreamble: []),
        new("second-settings", "9114 7.2.4", h3 => h3.Control(Settings), ProtocolExit, "H3_FRAME_UNEXPECTED", "H3_FRAME_UNEXPECTED", Says: "SETTINGS"),
        new("data-on-the-control-stream", "9114 7.2.1", h3 => h3.Control(RawHttp3.Frame(RawHttp3.Data, (byte)'x')), ProtocolExit, "H3_FRAME_UNEXPECTED", "H3_FRAME_UNEXPECTED", Says: "DATA"),
        new("headers-on-the-control-stream", "9114 7.2.2", h3 => h3.Control(RawHttp3.Frame(RawHttp3.Headers, RawHttp3.Status200)), ProtocolExit, "H3_FRAME_UNEXPECTED", "H3_FRAME_UNEXPECTED", Says: "HEADERS"),
        new("max-push-id-from-the-server", "9114 7.2.7", h3 => h3.Control(RawHttp3.Frame(MaxPushId, 4)), ProtocolExit, "H3_FRAME_UNEXPECTED", "H3_FRAME_UNEXPECTED", Says: "MAX_PUSH_ID"),
        new("http2-frame-type-on-the-control-stream", "9114 7.2.8", h3 => h3.Control(RawHttp3.Frame(Http2Ping, new byte[8])), ProtocolExit, "H3_FRAME_UNEXPECTED", "H3_FRAME_UNEXPECTED"),
        new("http2-setting-in-settings", "9114 7.2.4.1", _ => { }, ProtocolExit, "H3_SETTINGS_ERROR", "H3_SETTINGS_ERROR", ControlPreamble: RawHttp3.Frame(RawHttp3.Settings, 0x02, 0x00)),
        new("settings-ending-inside-a-setting", "9114 7.1", _ => { }, ProtocolExit, "H3_FRAME_ERROR", "H3_FRAME_ERROR", Says: "SETTINGS", ControlPreamble: RawHttp3.Frame(RawHttp3.Settings, 0x06)),
        new("cancel-push-past-max-push-id", "9114 7.2.3", h3 => h3.Control(RawHttp3.Frame(CancelPush, 5)), ProtocolExit, "H3_ID_ERROR", "H3_ID_ERROR", Says: "CANCEL_PUSH"),
        new("goaway-id-increasing", "9114 5.2", h3 => h3.Control([.. RawHttp3.Frame(GoAway, 4), .. RawHttp3.Frame(GoAway, 8)]), ProtocolExit, "H3_ID_ERROR", "H3_ID_ERROR", Says: "GOAWAY"),
        new("goaway-naming-a-unidirectional-stream", "9114 7.2.6", h3 => h3.Control(RawHttp3.Frame(GoAway, 2)), ProtocolExit, "H3_ID_ERROR", "H3_ID_ERROR", Says: "GOAWAY"),
        new("goaway-with-extra-bytes", "9114 7.1", h3 => h3.Control(RawHttp3.Frame(GoAway, 4, 0)), ProtocolExit, "H3_FRAME_ERROR", "H3_FRAME_ERROR", Says: "GOAWAY"),

        // Critical and one-of-a-kind unidirectional streams (RFC 9114 Section 6.2, RFC 9204 Section 4.2).
        new("control-stream-closed", "9114 6.2.1", h3 => h3.Control([], fin: true), ProtocolExit, "H3_CLOSED_CRITICAL_STREAM", "H3_CLOSED_CRITICAL_STREAM", Says: "control stream"),
        new("control-stream-reset", "9114 6.2.1", h3 => h3.ResetControl(0x100), ProtocolExit, "H3_CLOSED_CRITICAL_STREAM", "H3_CLOSED_CRITICAL_STREAM", Says: "control stream"),
        new("encoder-stream-closed", "9204 4.2", h3 => h3.Encoder([], fin: true), ProtocolExit, "H3_CLOSED_CRITICAL_STREAM", "H3_CLOSED_CRITICAL_STREAM", Says: "encoder stream"),
        new("decoder-stream-closed", "9204 4.2", h3 => h3.OpenUnidirectional(RawHttp3.DecoderStream, [], fin: true), ProtocolExit, "H3_CLOSED_CRITICAL_STREAM", "H3_CLOSED_CRITICAL_STREAM", Says: "decoder stream"),
        new("second-control-stream", "9114 6.2.1", h3 => h3.OpenUnidirectional(RawHttp3.ControlStream, Settings), ProtocolExit, "H3_STREAM_CREATION_ERROR", "H3_STREAM_CREATION_ERROR", Says: "control stream"),
        new("second-encoder-stream", "9204 4.2", h3 => h3.OpenUnidirectional(RawHttp3.EncoderStream, []), ProtocolExit, "H3_STREAM_CREATION_ERROR", "H3_STREAM_CREATION_ERROR", Says: "encoder stream"),
        new("second-decoder-stream", "9204 4.2", h3 => { h3.OpenUnidirectional(RawHttp3.DecoderStream, []); h3.OpenUnidirectional(RawHttp3.DecoderStream, []); }, ProtocolExit, "H3_STREAM_CREATION_ERROR", "H3_STREAM_CREATION_ERROR", Says: "decoder stream"),
        new("server-initiated-bidirectional-stream", "9114 6.1", h3 => h3.Quic(new StreamFrame(1, 0, RawHttp3.Frame(RawHttp3.Headers, RawHttp3.Status200), Fin: false)), ProtocolExit, "H3_STREAM_CREATION_ERROR", "H3_STREAM_CREATION_ERROR"),

        // Push without permission (RFC 9114 Sections 4.6 and 7.2.5): hxi sent no MAX_PUSH_ID.
        new("push-stream-without-max-push-id", "9114 4.6", h3 => h3.OpenUnidirectional(PushStream, [0x00]), ProtocolExit, "H3_ID_ERROR", "H3_ID_ERROR", Says: "push"),
        new("push-promise-without-max-push-id", "9114 7.2.5", h3 => h3.Request(RawHttp3.Frame(PushPromise, 0x00, 0x00, 0x00, 0xd1, 0xd7)), ProtocolExit, "H3_ID_ERROR", "H3_ID_ERROR", Says: "PUSH_PROMISE"),

        // The request stream (RFC 9114 Sections 4.1 and 7.1).
        new("data-before-headers", "9114 4.1", h3 => h3.Request([.. RawHttp3.Frame(RawHttp3.Data, "body"u8.ToArray()), .. Ok()], fin: true), ProtocolExit, "H3_FRAME_UNEXPECTED", "H3_FRAME_UNEXPECTED", Says: "DATA"),
        new("settings-on-the-request-stream", "9114 7.2.4", h3 => h3.Request(Settings), ProtocolExit, "H3_FRAME_UNEXPECTED", "H3_FRAME_UNEXPECTED", Says: "SETTINGS"),
        new("goaway-on-the-request-stream", "9114 7.2.6", h3 => h3.Request(RawHttp3.Frame(GoAway, 4)), ProtocolExit, "H3_FRAME_UNEXPECTED", "H3_FRAME_UNEXPECTED", Says: "GOAWAY"),
        new("frame-cut-short-by-the-stream-end", "9114 7.1", h3 => h3.Request([.. RawHttp3.Varint(RawHttp3.Headers), 10, .. RawHttp3.Status200], fin: true), ProtocolExit, "H3_FRAME_ERROR", "H3_FRAME_ERROR"),
        new("response-ending-before-headers", "9114 4.1", h3 => h3.Request([], fin: true), ProtocolExit, "H3_REQUEST_INCOMPLETE", "H3_NO_ERROR", Says: "stream 0"),
        new("server-resets-the-request", "9114 4.1.1", h3 => h3.ResetRequest(0x10c), ResetExit, "H3_REQUEST_CANCELLED", "H3_NO_ERROR", Says: "reset"),

        // QPACK (RFC 9204): field sections and the encoder stream.
        new("qpack-static-index-past-the-table", "9204 3.1", h3 => h3.Request(RawHttp3.Frame(RawHttp3.Headers, 0x00, 0x00, 0xff, 0x24), fin: true), ProtocolExit, "QPACK_DECOMPRESSION_FAILED", "QPACK_DECOMPRESSION_FAILED"),
        new("qpack-dynamic-reference-with-insert-count-0", "9204 4.5.1.1", h3 => h3.Request(RawHttp3.Frame(RawHttp3.Headers, 0x00, 0x00, 0x80), fin: true), ProtocolExit, "QPACK_DECOMPRESSION_FAILED", "QPACK_DECOMPRESSION_FAILED"),
        new("qpack-section-cut-after-its-prefix", "9204 4.5.1", h3 => h3.Request(RawHttp3.Frame(RawHttp3.Headers, 0x00), fin: true), ProtocolExit, "QPACK_DECOMPRESSION_FAILED", "QPACK_DECOMPRESSION_FAILED"),
        new("qpack-capacity-past-our-maximum", "9204 4.3.1", h3 => h3.Encoder(RawHttp3.SetCapacity(4097)), ProtocolExit, "QPACK_ENCODER_STREAM_ERROR", "QPACK_ENCODER_STREAM_ERROR", Says: "capacity"),
        new("qpack-insert-past-the-capacity", "9204 3.2.2", h3 => h3.Encoder([.. RawHttp3.SetCapacity(64), .. RawHttp3.InsertLiteral("hello", new string('x', 40))]), ProtocolExit, "QPACK_ENCODER_STREAM_ERROR", "QPACK_ENCODER_STREAM_ERROR", Says: "capacity"),
        new("qpack-duplicate-of-nothing", "9204 4.3.4", h3 => h3.Encoder(RawHttp3.Duplicate(0)), ProtocolExit, "QPACK_ENCODER_STREAM_ERROR", "QPACK_ENCODER_STREAM_ERROR", Says: "Duplicate"),

        // QUIC streams and flow control (RFC 9000 Sections 4 and 19): transport errors.
        new("stream-data-on-a-client-send-only-stream", "9000 19.8", h3 => h3.Quic(new StreamFrame(2, 0, "x"u8.ToArray(), Fin: false)), ProtocolExit, "STREAM_STATE_ERROR", "STREAM_STATE_ERROR", TransportClose: true),
        new("stream-data-on-an-unopened-client-stream", "9000 19.8", h3 => h3.Quic(new StreamFrame(4, 0, "x"u8.ToArray(), Fin: false)), ProtocolExit, "STREAM_STATE_ERROR", "STREAM_STATE_ERROR", TransportClose: true),
        new("reset-stream-on-a-client-send-only-stream", "9000 19.4", h3 => h3.Quic(new ResetStreamFrame(2, 0, 0)), ProtocolExit, "STREAM_STATE_ERROR", "STREAM_STATE_ERROR", TransportClose: true),
        new("stop-sending-on-a-receive-only-stream", "9000 19.5", h3 => h3.Quic(new StopSendingFrame(3, 0)), ProtocolExit, "STREAM_STATE_ERROR", "STREAM_STATE_ERROR", TransportClose: true),
        new("max-stream-data-on-a-receive-only-stream", "9000 19.10", h3 => h3.Quic(new MaxStreamDataFrame(3, 100_000)), ProtocolExit, "STREAM_STATE_ERROR", "STREAM_STATE_ERROR", TransportClose: true),
        new("stream-data-blocked-on-a-send-only-stream", "9000 19.13", h3 => h3.Quic(new StreamDataBlockedFrame(2, 0)), ProtocolExit, "STREAM_STATE_ERROR", "STREAM_STATE_ERROR", TransportClose: true),
        new("stream-data-past-max-stream-data", "9000 4.5", h3 => h3.Quic(new StreamFrame(0, 5_000_000, "x"u8.ToArray(), Fin: false)), ProtocolExit, "FLOW_CONTROL_ERROR", "FLOW_CONTROL_ERROR", TransportClose: true),
        new("stream-past-max-streams", "9000 4.6", h3 => h3.Quic(new StreamFrame(3 + 4 * 100, 0, new byte[] { Reserved }, Fin: false)), ProtocolExit, "STREAM_LIMIT_ERROR", "STREAM_LIMIT_ERROR", TransportClose: true),
        new("max-streams-past-2^60", "9000 19.11", h3 => h3.Quic(new MaxStreamsFrame(true, (1UL << 60) + 1)), ProtocolExit, "FRAME_ENCODING_ERROR", "FRAME_ENCODING_ERROR", TransportClose: true),
        new("streams-blocked-past-2^60", "9000 19.14", h3 => h3.Quic(new StreamsBlockedFrame(true, (1UL << 60) + 1)), ProtocolExit, "FRAME_ENCODING_ERROR", "FRAME_ENCODING_ERROR", TransportClose: true),

        // QUIC connection IDs and the handshake stream.
        new("new-connection-id-retiring-past-its-own-sequence", "9000 19.15", h3 => h3.Quic(new NewConnectionIdFrame(7, 8, Bytes(8, 7), Bytes(16, 7))), ProtocolExit, "FRAME_ENCODING_ERROR", "FRAME_ENCODING_ERROR", TransportClose: true),
        new("new-connection-ids-past-our-limit", "9000 5.1.1", h3 => NewConnectionIds(h3, 10, 16), ProtocolExit, "CONNECTION_ID_LIMIT_ERROR", "CONNECTION_ID_LIMIT_ERROR", TransportClose: true),
        new("retire-connection-id-never-issued", "9000 19.16", h3 => h3.Quic(new RetireConnectionIdFrame(100)), ProtocolExit, "PROTOCOL_VIOLATION", "PROTOCOL_VIOLATION", TransportClose: true),
        new("crypto-data-past-our-buffer", "9000 7.5", h3 => h3.Quic(new CryptoFrame(10_000_000, "x"u8.ToArray())), ProtocolExit, "CRYPTO_BUFFER_EXCEEDED", "CRYPTO_BUFFER_EXCEEDED", TransportClose: true),

        // Transport parameters (RFC 9000 Sections 7.3 and 18.2): the handshake fails.
        new("max-udp-payload-size-below-1200", "9000 18.2", _ => { }, ProtocolExit, "TRANSPORT_PARAMETER_ERROR", "TRANSPORT_PARAMETER_ERROR", TransportClose: true, Says: "max_udp_payload_size", Parameters: p => p with { MaxUdpPayloadSize = 1199 }),
        new("ack-delay-exponent-above-20", "9000 18.2", _ => { }, ProtocolExit, "TRANSPORT_PARAMETER_ERROR", "TRANSPORT_PARAMETER_ERROR", TransportClose: true, Says: "ack_delay_exponent", Parameters: p => p with { AckDelayExponent = 21 }),
        new("max-ack-delay-of-2^14", "9000 18.2", _ => { }, ProtocolExit, "TRANSPORT_PARAMETER_ERROR", "TRANSPORT_PARAMETER_ERROR", TransportClose: true, Says: "max_ack_delay", Parameters: p => p with { MaxAckDelay = 1 << 14 }),
        new("active-connection-id-limit-of-1", "9000 18.2", _ => { }, ProtocolExit, "TRANSPORT_PARAMETER_ERROR", "TRANSPORT_PARAMETER_ERROR", TransportClose: true, Says: "active_connection_id_limit", Parameters: p => p with { ActiveConnectionIdLimit = 1 }),
        new("initial-max-streams-past-2^60", "9000 4.6", _ => { }, ProtocolExit, "TRANSPORT_PARAMETER_ERROR", "TRANSPORT_PARAMETER_ERROR", TransportClose: true, Says: "initial_max_streams_bidi", Parameters: p => p with { InitialMaxStreamsBidi = (1UL << 60) + 1 }),
        new("stateless-reset-token-of-15-bytes", "9000 18.2", _ => { }, ProtocolExit, "TRANSPORT_PARAMETER_ERROR", "TRANSPORT_PARAMETER_ERROR", TransportClose: true, Says: "stateless_reset_token", Parameters: p => p with { StatelessResetToken = new byte[15] }),
        new("original-destination-connection-id-missing", "9000 7.3", _ => { }, ProtocolExit, "TRANSPORT_PARAMETER_ERROR", "TRANSPORT_PARAMETER_ERROR", TransportClose: true, Says: "original_destination_connection_id", Parameters: p => p with { OriginalDestinationConnectionId = null }),

        // Within the rules: hxi must take these and print the response.
        new("reserved-frame-type-is-ignored", "9114 7.2.8", h3 => h3.Request([.. RawHttp3.Frame(Reserved, (byte)'?'), .. Ok()], fin: true), 0, null, "H3_NO_ERROR"),
        new("reserved-stream-type-is-ignored", "9114 6.2.3", h3 => { h3.OpenUnidirectional(Reserved, "junk"u8); h3.Request(Ok(), fin: true); }, 0, null, "H3_NO_ERROR"),
        new("unknown-setting-is-ignored", "9114 7.2.4.1", h3 => h3.Request(Ok(), fin: true), 0, null, "H3_NO_ERROR", ControlPreamble: RawHttp3.Frame(RawHttp3.Settings, Reserved, 0x01)),
        new("informational-responses-before-the-final-one", "9114 4.1", h3 => h3.Request([.. Head(Literal(":status", "103")), .. Head(Literal(":status", "100")), .. Ok()], fin: true), 0, null, "H3_NO_ERROR"),
        new("trailers", "9114 4.1", h3 => h3.Request([.. Ok(), .. Head(Literal("x-checksum", "1"))], fin: true), 0, null, "H3_NO_ERROR"),

        // Malformed responses (RFC 9114 Section 4.1.2): a stream error H3_MESSAGE_ERROR; the connection lives on.
        new("no-status", "9114 4.3.2", h3 => h3.Request(Head(Literal("x", "y")), fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: ":status"),
        new("status-of-two-digits", "9114 4.3.2", h3 => h3.Request(Head(Literal(":status", "20")), fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: ":status"),
        new("status-twice", "9114 4.3", h3 => h3.Request(Head(Status200, Status200), fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: ":status"),
        new("pseudo-header-after-a-regular-field", "9114 4.3", h3 => h3.Request(Head([.. Literal("x", "y"), Status200]), fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: ":status"),
        new("request-pseudo-header-in-a-response", "9114 4.3", h3 => h3.Request(Head([Status200, .. Literal(":path", "/")]), fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: ":path"),
        new("upper-case-field-name", "9114 4.2", h3 => h3.Request(Head([Status200, .. Literal("X-Upper", "1")]), fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: "X-Upper"),
        new("connection-field", "9114 4.2", h3 => h3.Request(Head([Status200, .. Literal("connection", "close")]), fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: "connection"),
        new("te-other-than-trailers", "9114 4.2", h3 => h3.Request(Head([Status200, .. Literal("te", "gzip")]), fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: "te"),
        new("line-feed-in-a-value", "9114 4.2", h3 => h3.Request(Head([Status200, .. Literal("x", "a\nb")]), fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: "value"),
        new("content-length-above-the-data", "9114 4.1.2", h3 => h3.Request([.. Head([Status200, .. Literal("content-length", "1000")]), .. RawHttp3.Frame(RawHttp3.Data, new byte[10])], fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: "content-length"),
        new("content-length-below-the-data", "9114 4.1.2", h3 => h3.Request([.. Head([Status200, .. Literal("content-length", "2")]), .. RawHttp3.Frame(RawHttp3.Data, new byte[10])], fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: "content-length"),
        new("pseudo-header-in-trailers", "9114 4.3", h3 => h3.Request([.. Ok(), .. Head(Status200)], fin: true), ProtocolExit, "H3_MESSAGE_ERROR", "H3_NO_ERROR", Says: "trailers"),
        new("headers-after-the-trailers", "9114 4.1", h3 => h3.Request([.. Ok(), .. Head(Literal("x", "1")), .. Head(Literal("y", "2"))], fin: true), ProtocolExit, "H3_FRAME_UNEXPECTED", "H3_FRAME_UNEXPECTED", Says: "HEADERS"),
    ];

    public static Http3HostileCase Named(string name) => All.Single(c => c.Name == name);

    /// <summary>":status: 200" as a field line: indexed, static table entry 25 (RFC 9204 Section 4.5.2).</summary>
    private const byte Status200 = 0xd9;

    /// <summary>HEADERS carrying these field lines after a prefix of Required Insert Count 0, Base 0.</summary>
    private static byte[] Head(params byte[] fieldLines) => RawHttp3.Frame(RawHttp3.Headers, [0x00, 0x00, .. fieldLines]);

    /// <summary>A good response: ":status: 200" and a 2-byte body.</summary>
    private static byte[] Ok() => [.. RawHttp3.Frame(RawHttp3.Headers, RawHttp3.Status200), .. RawHttp3.Frame(RawHttp3.Data, "ok"u8.ToArray())];

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 0 | 1 | N | H |NameLen(3+)|
    // +---+---+---+---+---+-----------+
    // |  Name String (Length bytes)   |
    // +---+---------------------------+
    // | H |     Value Length (7+)     |
    // +---+---------------------------+
    // |  Value String (Length bytes)  |
    // +-------------------------------+
    /// <summary>Literal Field Line with Literal Name (RFC 9204 Section 4.5.6), no Huffman coding.</summary>
    private static byte[] Literal(string name, string value) =>
    [
        .. RawHttp3.PrefixedInteger(0x20, 3, name.Length), .. Encoding.ASCII.GetBytes(name),
        .. RawHttp3.PrefixedInteger(0x00, 7, value.Length), .. Encoding.ASCII.GetBytes(value),
    ];

    /// <summary>NEW_CONNECTION_ID with sequence numbers from <paramref name="first"/> to before <paramref name="end"/>.</summary>
    private static void NewConnectionIds(HostileHttp3Streams h3, byte first, byte end)
    {
        for (var sequence = first; sequence < end; sequence++)
        {
            h3.Quic(new NewConnectionIdFrame(sequence, 0, Bytes(8, sequence), Bytes(16, sequence)));
        }
    }

    private static byte[] Bytes(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
