using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Net.Http1;
using Hxi.Protocols.Http1;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Trace;
using H2 = Hxi.Protocols.Http2.Frames;
using H3 = Hxi.Protocols.Http3.Frames;

namespace Hxi.Cli.Tests.Trace;

/// <summary>
/// Every decoded record type of every layer, including frames a run against a friendly server never shows
/// (RESET_STREAM, NEW_TOKEN, PATH_CHALLENGE, GOAWAY, malformed frames...), written and checked against the schema.
/// </summary>
public sealed class JsonTraceWriterTests
{
    private static readonly byte[] Bytes = [0x01, 0x02, 0x03];

    [Fact]
    public void EveryQuicFrameType_IsAnObject_WithItsFields_AndValidatesAgainstTheSchema()
    {
        QuicFrame[] frames =
        [
            new PaddingFrame(5),
            PingFrame.Instance,
            new AckFrame(100, [new QuicAckRange(7, 9), new QuicAckRange(2, 3)], new QuicEcnCounts(1, 2, 3)),
            new ResetStreamFrame(4, 0x10c, 1000),
            new StopSendingFrame(8, 0x100),
            new CryptoFrame(10, new byte[20]),
            new NewTokenFrame(new byte[] { 0xab, 0xcd }),
            new StreamFrame(0, 5, new byte[7], Fin: true),
            new MaxDataFrame(1 << 20),
            new MaxStreamDataFrame(4, 65536),
            new MaxStreamsFrame(false, 100),
            new DataBlockedFrame(500),
            new StreamDataBlockedFrame(4, 600),
            new StreamsBlockedFrame(true, 10),
            new NewConnectionIdFrame(1, 0, new byte[] { 1, 2, 3, 4 }, new byte[16]),
            new RetireConnectionIdFrame(0),
            new PathChallengeFrame(0x0102030405060708),
            new PathResponseFrame(0x0102030405060708),
            ConnectionCloseFrame.Transport(QuicTransportErrorCode.ProtocolViolation, 0x08, "bad frame"),
            ConnectionCloseFrame.Application(0x100, ""),
            HandshakeDoneFrame.Instance,
        ];
        var lines = Write(trace => trace.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, Bytes,
            new QuicPacketTrace(QuicPacketType.OneRtt, QuicVersion.Version1, new byte[] { 0xaa, 0xbb }, ReadOnlyMemory<byte>.Empty, 42, 1200, true, frames, AckDelayExponent: 4))));

        var packet = Assert.Single(lines);
        Assert.Equal("1-RTT", packet.GetProperty("packet_type").GetString());
        Assert.Equal("aabb", packet.GetProperty("dcid").GetString());
        Assert.Equal(42, packet.GetProperty("pn").GetInt64());
        Assert.Equal(1, packet.GetProperty("key_phase").GetInt32());
        Assert.False(packet.TryGetProperty("version", out _), "a short header carries no version");
        var written = packet.GetProperty("frames").EnumerateArray().ToList();
        Assert.Equal(
            ["PADDING", "PING", "ACK", "RESET_STREAM", "STOP_SENDING", "CRYPTO", "NEW_TOKEN", "STREAM", "MAX_DATA", "MAX_STREAM_DATA", "MAX_STREAMS",
                "DATA_BLOCKED", "STREAM_DATA_BLOCKED", "STREAMS_BLOCKED", "NEW_CONNECTION_ID", "RETIRE_CONNECTION_ID", "PATH_CHALLENGE", "PATH_RESPONSE",
                "CONNECTION_CLOSE", "CONNECTION_CLOSE", "HANDSHAKE_DONE"],
            written.Select(f => f.GetProperty("frame_type").GetString()));
        Assert.All(written, f => Assert.False(string.IsNullOrEmpty(f.GetProperty("summary").GetString())));

        var ack = written[2];
        Assert.Equal(9, ack.GetProperty("largest").GetInt32());
        Assert.Equal(1600, ack.GetProperty("delay_us").GetInt32()); // 100 << 4: the sender's exponent, not the default 3
        Assert.Equal(4, ack.GetProperty("ack_delay_exponent").GetInt32());
        Assert.Equal([(7, 9), (2, 3)], ack.GetProperty("ranges").EnumerateArray().Select(r => (r.GetProperty("smallest").GetInt32(), r.GetProperty("largest").GetInt32())));
        Assert.Equal(3, ack.GetProperty("ecn").GetProperty("ce").GetInt32());
        Assert.Equal("H3_REQUEST_CANCELLED", written[3].GetProperty("error").GetString());
        Assert.Equal(0x10c, written[3].GetProperty("error_code").GetInt32());
        Assert.Equal("H3_NO_ERROR", written[4].GetProperty("error").GetString());
        Assert.True(written[7].GetProperty("fin").GetBoolean());
        Assert.Equal("unidirectional", written[10].GetProperty("stream_type").GetString());
        Assert.Equal("01020304", written[14].GetProperty("connection_id").GetString());
        Assert.Equal("0102030405060708", written[16].GetProperty("data").GetString());
        Assert.Equal("transport", written[18].GetProperty("error_space").GetString());
        Assert.Equal("PROTOCOL_VIOLATION", written[18].GetProperty("error").GetString());
        Assert.Equal(8, written[18].GetProperty("triggering_frame_type").GetInt32());
        Assert.Equal("bad frame", written[18].GetProperty("reason").GetString());
        Assert.Equal("application", written[19].GetProperty("error_space").GetString());
        Assert.Equal("H3_NO_ERROR", written[19].GetProperty("error").GetString());
    }

    [Fact]
    public void EcnCodepoints_ValidationAndCe_AreDescribed_AndValidateAgainstTheSchema()
    {
        var lines = Write(trace =>
        {
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, new byte[1200], new QuicDatagramTrace(1200, 1, EcnCodepoint.Ect0)));
            trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, ReadOnlyMemory<byte>.Empty,
                new EcnStateChange(EcnState.Testing, EcnState.Failed, "an ACK frame without ECN counts acknowledged 2 packet(s) marked ECT(0)")));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, ReadOnlyMemory<byte>.Empty, new EcnCongestionExperienced(3, 30_000, 15_000)));
        });

        Assert.Equal(["datagram", "ecn_state", "ecn_ce"], lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal("ECT(0)", lines[0].GetProperty("ecn").GetString());
        Assert.Equal("failed", lines[1].GetProperty("new").GetString());
        Assert.Equal(15_000, lines[2].GetProperty("congestion_window").GetInt64());
    }

    [Fact]
    public void QuicDatagrams_LongHeaders_NotesAndMetrics_AreDescribed()
    {
        var lines = Write(trace =>
        {
            trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, new byte[1200], new QuicDatagramTrace(1200, 2)));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, Bytes,
                new QuicPacketTrace(QuicPacketType.Retry, QuicVersion.Version1, new byte[] { 1 }, new byte[] { 2 }, -1, 40, false, [], "Retry: token of 16 bytes")));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, ReadOnlyMemory<byte>.Empty,
                new QuicMetricsTrace(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2.5), TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(1.25), 14720, 1200)));
        });

        Assert.Equal(["datagram", "packet", "metrics"], lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal(2, lines[0].GetProperty("packets").GetInt32());
        Assert.Equal("v1", lines[1].GetProperty("version").GetString());
        Assert.Equal("02", lines[1].GetProperty("scid").GetString());
        Assert.False(lines[1].TryGetProperty("pn", out _), "a Retry has no packet number");
        Assert.Equal("Retry: token of 16 bytes", lines[1].GetProperty("note").GetString());
        Assert.Equal(2.5, lines[2].GetProperty("smoothed_rtt_ms").GetDouble());
    }

    [Fact]
    public void EveryHttp2FrameType_AndHpackBlocks_AreDecoded()
    {
        H2.Http2Frame[] frames =
        [
            new H2.DataFrame(1, new byte[10], EndStream: true, PadLength: 3),
            new H2.HeadersFrame(1, new byte[5], EndStream: false, EndHeaders: false, new H2.Http2PriorityFields(true, 0, 15), null),
            new H2.PriorityFrame(3, new H2.Http2PriorityFields(false, 1, 255)),
            new H2.RstStreamFrame(1, 8),
            new H2.SettingsFrame(false, [new Http2Setting(Http2SettingId.MaxFrameSize, 16384), new Http2Setting((Http2SettingId)0x99, 1)]),
            new H2.PushPromiseFrame(1, 2, new byte[4], EndHeaders: true),
            new H2.PingFrame(true, 0x0102030405060708),
            new H2.GoAwayFrame(5, 11, Encoding.ASCII.GetBytes("calm down")),
            new H2.WindowUpdateFrame(0, 65535),
            new H2.ContinuationFrame(1, new byte[3], EndHeaders: true),
            new H2.UnknownFrame(0xfa, 0x01, 7, new byte[6]),
        ];
        var lines = Write(trace =>
        {
            trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Http2, Http2Preface.Bytes.ToArray(), Http2Preface.Instance));
            foreach (var frame in frames)
            {
                trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http2, new byte[Http2FrameHeader.Size + 4], frame));
            }

            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http2, new byte[9], new Http2MalformedFrame(new Http2FrameHeader(4, 8, 0, 0), "WINDOW_UPDATE increment of 0")));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Hpack, Bytes, new Http2HeaderBlock(
                1,
                [new HeaderField(":status", "200"), new HeaderField("x-a", "b")],
                [
                    new HpackFieldTrace(HpackRepresentation.DynamicTableSizeUpdate, default, 0, false, false, new byte[] { 0x20 }, []),
                    new HpackFieldTrace(HpackRepresentation.Indexed, new HeaderField(":status", "200"), 8, false, false, new byte[] { 0x88 }, []),
                    new HpackFieldTrace(HpackRepresentation.LiteralNeverIndexed, new HeaderField("x-a", "b"), 0, true, false, new byte[] { 0x10, 0x01 }, [new HeaderField("old", "entry")]),
                ],
                57,
                1,
                PromisedStreamId: 2)));
        });

        Assert.Equal(
            ["PREFACE", "DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION", "UNKNOWN(0xfa)", "MALFORMED", "header_block"],
            lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal(["END_STREAM", "PADDED"], lines[1].GetProperty("flag_names").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(3, lines[1].GetProperty("pad_length").GetInt32());
        Assert.Equal(16, lines[2].GetProperty("priority").GetProperty("weight").GetInt32());
        Assert.Equal("CANCEL", lines[4].GetProperty("error").GetString());
        Assert.Equal(
            [("SETTINGS_MAX_FRAME_SIZE", 5, 16384), ("UNKNOWN_SETTING(0x99)", 0x99, 1)],
            lines[5].GetProperty("settings").EnumerateArray().Select(s => (s.GetProperty("name").GetString(), s.GetProperty("id").GetInt32(), s.GetProperty("value").GetInt32())));
        Assert.Equal(2, lines[6].GetProperty("promised_stream").GetInt32());
        Assert.Equal("0102030405060708", lines[7].GetProperty("opaque").GetString());
        Assert.Equal("ENHANCE_YOUR_CALM", lines[8].GetProperty("error").GetString());
        Assert.Equal("calm down", lines[8].GetProperty("debug").GetString());
        Assert.Equal(0xfa, lines[11].GetProperty("type_code").GetInt32());
        var block = lines[^1];
        Assert.Equal(2, block.GetProperty("promised_stream").GetInt32());
        var representations = block.GetProperty("representations").EnumerateArray().ToList();
        Assert.Equal(["dynamic_table_size_update", "indexed", "literal_never_indexed"], representations.Select(r => r.GetProperty("representation").GetString()));
        Assert.Equal("static", representations[1].GetProperty("table").GetString());
        Assert.False(representations[2].TryGetProperty("index", out _), "a literal name has no index");
        Assert.Equal("old", representations[2].GetProperty("evicted")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void Http3Frames_StreamTypes_AndQpack_AreDecoded_InHpacksWords()
    {
        H3.Http3Frame[] frames =
        [
            new H3.DataFrame(ReadOnlyMemory<byte>.Empty),
            new H3.HeadersFrame(new byte[12]),
            new H3.CancelPushFrame(3),
            new H3.SettingsFrame([new H3.Http3Setting(Http3SettingId.QpackMaxTableCapacity, 4096), new H3.Http3Setting(0x21, 7)]),
            new H3.PushPromiseFrame(1, new byte[4]),
            new H3.GoAwayFrame(8),
            new H3.MaxPushIdFrame(99),
            new H3.PriorityUpdateFrame(false, 4, "u=1"),
            new H3.UnknownFrame(0x21, new byte[2]),
        ];
        var lines = Write(trace =>
        {
            foreach (var frame in frames)
            {
                trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http3, Bytes, new Http3FrameTrace(0, frame, 4)));
            }

            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http3, new byte[] { 0x01, 0x05 }, new Http3StreamTypeTrace(15, Http3StreamType.Push) { PushId = 5 }));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Qpack, Bytes, new QpackSectionTrace(4, 3, 2, 1, new byte[] { 3, 1 },
            [
                new QpackFieldTrace(QpackRepresentation.IndexedStatic, new HeaderField(":status", "200"), 25, -1, false, false, false, default),
                new QpackFieldTrace(QpackRepresentation.IndexedPostBase, new HeaderField("x-a", "b"), 0, 1, false, false, false, default),
                new QpackFieldTrace(QpackRepresentation.LiteralDynamicName, new HeaderField("x-a", "c"), 0, 0, true, false, true, default),
                new QpackFieldTrace(QpackRepresentation.LiteralLiteralName, new HeaderField("x-b", "d"), -1, -1, false, true, false, default),
            ], WasBlocked: true)));
            foreach (var kind in Enum.GetValues<QpackInstructionKind>())
            {
                trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Qpack, Bytes,
                    new QpackInstructionTrace(kind, 6, true, new HeaderField("date", "today"), false, true, 4, Bytes, [new QpackTableEntry(0, new HeaderField("old", "x"))])));
            }
        });

        Assert.Equal(
            ["DATA", "HEADERS", "CANCEL_PUSH", "SETTINGS", "PUSH_PROMISE", "GOAWAY", "MAX_PUSH_ID", "PRIORITY_UPDATE", "GREASE 0x21", "stream_type", "field_section",
                "set_dynamic_table_capacity", "insert_with_name_reference", "insert_with_literal_name", "duplicate", "section_acknowledgment", "stream_cancellation", "insert_count_increment"],
            lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal("GREASE 0x21", lines[3].GetProperty("settings")[1].GetProperty("name").GetString());
        Assert.Equal("u=1", lines[7].GetProperty("priority_field_value").GetString());
        Assert.Equal("push", lines[9].GetProperty("stream_type").GetString());
        Assert.Equal(5, lines[9].GetProperty("push_id").GetInt32());
        var section = lines[10];
        Assert.True(section.GetProperty("was_blocked").GetBoolean());
        var representations = section.GetProperty("representations").EnumerateArray().ToList();
        Assert.Equal(
            ["indexed", "indexed_post_base", "literal_with_name_reference", "literal_with_literal_name"],
            representations.Select(r => r.GetProperty("representation").GetString()));
        Assert.Equal(("static", 25), (representations[0].GetProperty("table").GetString(), representations[0].GetProperty("index").GetInt32()));
        Assert.Equal(1, representations[1].GetProperty("absolute_index").GetInt32());
        Assert.True(representations[2].GetProperty("never_indexed").GetBoolean());
        Assert.Equal(6, lines[12].GetProperty("index").GetInt32());
        Assert.Equal("static", lines[12].GetProperty("table").GetString());
        Assert.Equal(6, lines[15].GetProperty("acknowledged_stream").GetInt32());
    }

    [Fact]
    public void Http1Events_AreParsed_AndRawTextStaysText()
    {
        HeaderField[] headers = [new("Content-Type", "text/plain"), new("Transfer-Encoding", "chunked")];
        var lines = Write(trace =>
        {
            trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Http1, Bytes, new Http1Text("GET /a?b=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n")));
            trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Http1, Bytes, new Http1Text("hello\r\n")));
            trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Http1, Bytes, new Http1BodyBytes(3)));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, Bytes, new Http1InterimResponseReceived(103, "Early Hints", [new HeaderField("Link", "</a>")])));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, Bytes, new Http1ResponseHeadReceived("HTTP/1.1", 200, "OK", headers, Http1BodyKind.Chunked, null)));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, Bytes, new Http1ChunkStarted(5, ";x=y")));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, Bytes, new Http1BodyDataReceived(new byte[5])));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, Bytes, null));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, Bytes, new Http1ResponseCompleted([new HeaderField("x-sum", "1")], true)));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, Bytes, new Http1SwitchingProtocols([new HeaderField("Upgrade", "h2c")])));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, Bytes, new Http1TunnelEstablished(200, "Connection established", [])));
        });

        Assert.Equal(
            ["request_head", "text", "request_body", "interim_response_head", "response_head", "chunk_size", "body_data", "framing", "response_end", "switching_protocols", "tunnel_established"],
            lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal(("GET", "/a?b=1", "HTTP/1.1"), (lines[0].GetProperty("method").GetString(), lines[0].GetProperty("target").GetString(), lines[0].GetProperty("version").GetString()));
        Assert.Equal("*/*", lines[0].GetProperty("headers")[1].GetProperty("value").GetString());
        Assert.Equal("hello\r\n", lines[1].GetProperty("text").GetString());
        Assert.Equal("chunked", lines[4].GetProperty("body_framing").GetString());
        Assert.Equal(";x=y", lines[5].GetProperty("extensions").GetString());
        Assert.Equal("x-sum", lines[8].GetProperty("trailers")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void Connections_AreNumbered_WhenTcpIsUp_OrWhenQuicStarts()
    {
        var tcp = new ConnectionInfo { Host = "example", Port = 443, Protocol = "h2", RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 443) };
        var quic = tcp with { Protocol = "h3" };
        var lines = Write(trace =>
        {
            // A QUIC attempt that fails (numbered 1), a TCP fallback (2), then a QUIC connection whose handshake records come before "connected" (3).
            _ = trace.CountingQuicConnections(null)();
            trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, Bytes, new QuicDatagramTrace(3, 1)));
            trace.Note("falling back from HTTP/3 to TCP: timed out");
            trace.Connected(tcp);
            trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Http2, Bytes, Http2Preface.Instance));
            _ = trace.CountingQuicConnections(null)();
            trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, Bytes, new QuicDatagramTrace(3, 1)));
            trace.Connected(quic);
            trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Http3, Bytes, new Http3StreamTypeTrace(2, Http3StreamType.Control)));
        });

        Assert.Equal([1, 1, 2, 2, 3, 3, 3], lines.Select(l => l.GetProperty("conn").GetInt32()));
        Assert.Equal("note", lines[1].GetProperty("type").GetString());
        Assert.Equal("127.0.0.1:443", lines[2].GetProperty("remote").GetString());
        Assert.False(lines[2].TryGetProperty("dir", out _), "a connection record is not on the wire");
    }

    [Fact]
    public void UnknownDecodedForms_AndRecordsAfterDispose_LeakNoDotNetText()
    {
        var output = new MemoryStream();
        var trace = new JsonTraceWriter(output, Stopwatch.StartNew());
        trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http2, Bytes, new Uri("http://not-a-frame/")));
        trace.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, Bytes, "a string"));
        var text = Encoding.UTF8.GetString(output.ToArray());
        trace.Dispose();
        trace.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, Bytes, new QuicDatagramTrace(3, 1)));

        var lines = JsonSchemas.AssertValidTrace(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), "undecoded records");
        Assert.All(lines, l => Assert.Equal("undecoded", l.GetProperty("type").GetString()));
        Assert.DoesNotContain("not-a-frame", text);
    }

    [Fact]
    public void UnparsedBytes_SayWhy_InTheirLayer()
    {
        var lines = Write(trace =>
        {
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, Encoding.ASCII.GetBytes("HTTP/1.1 2OO OK\r\n"), new UnparsedBytes("status code is not three digits")));
            trace.Record(new WireRecord(WireDirection.Received, WireLayer.Http3, Bytes, new UnparsedBytes("stream 0: frame too short")));
        });

        Assert.Equal(["http1", "http3"], lines.Select(l => l.GetProperty("layer").GetString()));
        Assert.All(lines, l => Assert.Equal("unparsed", l.GetProperty("type").GetString()));
        Assert.Equal("status code is not three digits", lines[0].GetProperty("error").GetString());
    }

    [Fact]
    public void LongRecords_KeepTheFirst1024BytesOfHex_AndSaySo()
    {
        var lines = Write(trace => trace.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, new byte[1500], new QuicDatagramTrace(1500, 1))));

        Assert.Equal(1500, lines[0].GetProperty("bytes").GetInt32());
        Assert.Equal(2048, lines[0].GetProperty("hex").GetString()!.Length);
        Assert.True(lines[0].GetProperty("hex_truncated").GetBoolean());
    }

    /// <summary>Runs <paramref name="write"/> against a trace writer and returns its lines, each checked against the schema.</summary>
    private static IReadOnlyList<JsonElement> Write(Action<JsonTraceWriter> write)
    {
        var output = new MemoryStream();
        using (var trace = new JsonTraceWriter(new NonClosingStream(output), Stopwatch.StartNew()))
        {
            write(trace);
        }

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.EndsWith("\n", text);
        return JsonSchemas.AssertValidTrace(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), "trace");
    }

    /// <summary>Lets the test read what the writer wrote after the writer has closed its stream.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
