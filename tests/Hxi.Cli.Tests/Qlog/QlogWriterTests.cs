using System.Text;
using System.Text.Json;
using Hxi.Cli.Wire;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Tests.Qlog;

/// <summary>The qlog writer fed synthetic tap records, its JSON-SEQ output parsed back.</summary>
public class QlogWriterTests
{
    private static readonly byte[] Odcid = [0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08];
    private static readonly byte[] Scid = [0xaa, 0xbb, 0xcc, 0xdd];
    private static readonly byte[] ServerCid = [0x01, 0x02, 0x03, 0x04, 0x05];
    private static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly ManualTimeProvider _time = new(Start);
    private readonly Dictionary<string, MemoryStream> _files = [];

    [Fact]
    public void Header_IsTheFirstRecord_WithQlog03JsonSeqFields_AndTheFileIsNamedAfterTheOdcid()
    {
        using (var writer = NewWriter())
        {
            SendFirstInitial(writer);
            Assert.Equal("8394c8f03e515708_client.sqlog", writer.FileName);
        }

        var records = Records();
        var header = records[0];
        Assert.Equal("0.3", header.GetProperty("qlog_version").GetString());
        Assert.Equal("JSON-SEQ", header.GetProperty("qlog_format").GetString());
        Assert.Equal("hxi test", header.GetProperty("title").GetString());
        var trace = header.GetProperty("trace");
        Assert.Equal("client", trace.GetProperty("vantage_point").GetProperty("type").GetString());
        var common = trace.GetProperty("common_fields");
        Assert.Equal("8394c8f03e515708", common.GetProperty("ODCID").GetString());
        Assert.Equal("relative", common.GetProperty("time_format").GetString());
        Assert.Equal(Start.ToUnixTimeMilliseconds(), common.GetProperty("reference_time").GetInt64());
    }

    [Fact]
    public void AServerTrace_OpensAtTheClientsFirstInitialReceived_AsServerVantage()
    {
        using (var writer = new QlogWriter(name =>
        {
            var file = new MemoryStream();
            _files.Add(name, file);
            return file;
        }, _time, "hxi serve", server: true))
        {
            // What the server sends before the client's Initial (nothing, in practice) does not open the file.
            writer.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, new byte[1200], new QuicDatagramTrace(1200, 1)));
            writer.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, new byte[1200],
                new QuicPacketTrace(QuicPacketType.Initial, 1, Odcid, Scid, 0, 1200, false, [new CryptoFrame(0, new byte[300])])));
            Assert.Equal("8394c8f03e515708_server.sqlog", writer.FileName);
        }

        var records = Records();
        Assert.Equal("server", records[0].GetProperty("trace").GetProperty("vantage_point").GetProperty("type").GetString());
        Assert.Equal("8394c8f03e515708", records[0].GetProperty("trace").GetProperty("common_fields").GetProperty("ODCID").GetString());
        Assert.Equal(["transport:datagrams_received", "transport:packet_received"], Events().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public void EveryRecord_StartsWithRecordSeparator_AndEndsWithNewline()
    {
        using (var writer = NewWriter())
        {
            SendFirstInitial(writer);
        }

        var bytes = _files.Single().Value.ToArray();
        Assert.Equal(0x1e, bytes[0]);
        Assert.Equal((byte)'\n', bytes[^1]);
        var parts = Encoding.UTF8.GetString(bytes).Split('\x1e', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, parts.Length);   // header, datagrams_sent, packet_sent
        Assert.All(parts, part => Assert.EndsWith("\n", part));
    }

    [Fact]
    public void FirstInitial_IsSentPacket_WithHeaderRawLengthAndFrames_AfterItsDatagram()
    {
        using (var writer = NewWriter())
        {
            SendFirstInitial(writer);
        }

        var events = Events();
        Assert.Equal(["transport:datagrams_sent", "transport:packet_sent"], events.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(1200, events[0].GetProperty("data").GetProperty("raw")[0].GetProperty("length").GetInt32());
        var packet = events[1].GetProperty("data");
        var header = packet.GetProperty("header");
        Assert.Equal("initial", header.GetProperty("packet_type").GetString());
        Assert.Equal(0, header.GetProperty("packet_number").GetInt64());
        Assert.Equal("8394c8f03e515708", header.GetProperty("dcid").GetString());
        Assert.Equal("aabbccdd", header.GetProperty("scid").GetString());
        Assert.Equal("00000001", header.GetProperty("version").GetString());
        Assert.Equal(1200, packet.GetProperty("raw").GetProperty("length").GetInt32());
        var frames = packet.GetProperty("frames");
        Assert.Equal("crypto", frames[0].GetProperty("frame_type").GetString());
        Assert.Equal(0, frames[0].GetProperty("offset").GetInt64());
        Assert.Equal(300, frames[0].GetProperty("length").GetInt32());
        Assert.Equal("padding", frames[1].GetProperty("frame_type").GetString());
    }

    [Fact]
    public void EventTimes_AreMillisecondsSinceTheReferenceTime()
    {
        using (var writer = NewWriter())
        {
            SendFirstInitial(writer);
            _time.Advance(TimeSpan.FromMilliseconds(12.5));
            writer.Record(Packet(WireDirection.Received, QuicPacketType.Handshake, 0, [PingFrame.Instance]));
        }

        var events = Events();
        Assert.Equal(0, events[0].GetProperty("time").GetDouble());
        Assert.Equal(12.5, events[^1].GetProperty("time").GetDouble());
    }

    [Fact]
    public void ReceivedOneRttPacket_CarriesAckStreamAndControlFrames()
    {
        using (var writer = NewWriter())
        {
            SendFirstInitial(writer);
            writer.Record(Packet(WireDirection.Received, QuicPacketType.OneRtt, 7,
            [
                // ACK Delay 1000 with the default exponent 3 is 8000 us.
                new AckFrame(1000, [new QuicAckRange(5, 6), new QuicAckRange(0, 2)]),
                new StreamFrame(3, 10, new byte[25], Fin: true),
                new MaxDataFrame(65536),
                new MaxStreamDataFrame(0, 4096),
                new MaxStreamsFrame(true, 100),
                new NewConnectionIdFrame(1, 0, new byte[] { 9, 9 }, new byte[16]),
                HandshakeDoneFrame.Instance,
            ]));
        }

        var packet = Events()[^1];
        Assert.Equal("transport:packet_received", packet.GetProperty("name").GetString());
        var header = packet.GetProperty("data").GetProperty("header");
        Assert.Equal("1RTT", header.GetProperty("packet_type").GetString());
        Assert.Equal(7, header.GetProperty("packet_number").GetInt64());
        Assert.False(header.TryGetProperty("scid", out _));
        var frames = packet.GetProperty("data").GetProperty("frames");
        var ack = frames[0];
        Assert.Equal("ack", ack.GetProperty("frame_type").GetString());
        Assert.Equal(8.0, ack.GetProperty("ack_delay").GetDouble());
        Assert.Equal("[[0,2],[5,6]]", ack.GetProperty("acked_ranges").GetRawText());
        var stream = frames[1];
        Assert.Equal(("stream", 3, 10, 25, true),
            (stream.GetProperty("frame_type").GetString(), stream.GetProperty("stream_id").GetInt64(), stream.GetProperty("offset").GetInt64(),
             stream.GetProperty("length").GetInt32(), stream.GetProperty("fin").GetBoolean()));
        Assert.Equal(("max_data", 65536), (frames[2].GetProperty("frame_type").GetString(), frames[2].GetProperty("maximum").GetInt64()));
        Assert.Equal(4096, frames[3].GetProperty("maximum").GetInt64());
        Assert.Equal("bidirectional", frames[4].GetProperty("stream_type").GetString());
        Assert.Equal("0909", frames[5].GetProperty("connection_id").GetString());
        Assert.Equal("handshake_done", frames[6].GetProperty("frame_type").GetString());
    }

    [Theory]
    [InlineData(false, 0x0a, "protocol_violation", "transport")]
    [InlineData(false, 0x128, "crypto_error_0x128", "transport")]
    [InlineData(true, 0x100, null, "application")]
    public void ConnectionClose_HasErrorSpaceCodeAndReason(bool application, ulong code, string? name, string space)
    {
        using (var writer = NewWriter())
        {
            SendFirstInitial(writer);
            writer.Record(Packet(WireDirection.Sent, QuicPacketType.OneRtt, 3,
                [new ConnectionCloseFrame(application, code, 0, Encoding.UTF8.GetBytes("bye"))]));
        }

        var close = Events()[^1].GetProperty("data").GetProperty("frames")[0];
        Assert.Equal("connection_close", close.GetProperty("frame_type").GetString());
        Assert.Equal(space, close.GetProperty("error_space").GetString());
        Assert.Equal("bye", close.GetProperty("reason").GetString());
        var errorCode = close.GetProperty("error_code");
        if (name is null)
        {
            Assert.Equal(code, errorCode.GetUInt64());
        }
        else
        {
            Assert.Equal(name, errorCode.GetString());
        }
    }

    [Fact]
    public void DroppedPacket_IsPacketDropped_WithTriggerAndDetails()
    {
        using (var writer = NewWriter())
        {
            SendFirstInitial(writer);
            writer.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, new byte[60],
                new QuicPacketTrace(QuicPacketType.Handshake, 1, Scid, ServerCid, -1, 60, false, [], "dropped: packet could not be decrypted")));
        }

        var dropped = Events()[^1];
        Assert.Equal("transport:packet_dropped", dropped.GetProperty("name").GetString());
        var data = dropped.GetProperty("data");
        Assert.Equal("handshake", data.GetProperty("header").GetProperty("packet_type").GetString());
        Assert.False(data.GetProperty("header").TryGetProperty("packet_number", out _));
        Assert.Equal(60, data.GetProperty("raw").GetProperty("length").GetInt32());
        Assert.Equal("payload_decrypt_error", data.GetProperty("trigger").GetString());
        Assert.Equal("packet could not be decrypted", data.GetProperty("details").GetString());
    }

    [Fact]
    public void Metrics_AreMetricsUpdated_InMilliseconds()
    {
        using (var writer = NewWriter())
        {
            SendFirstInitial(writer);
            writer.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, ReadOnlyMemory<byte>.Empty,
                new QuicMetricsTrace(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(22.5), TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(10), 14720, 1200)));
        }

        var metrics = Events()[^1];
        Assert.Equal("recovery:metrics_updated", metrics.GetProperty("name").GetString());
        var data = metrics.GetProperty("data");
        Assert.Equal(20, data.GetProperty("min_rtt").GetDouble());
        Assert.Equal(22.5, data.GetProperty("smoothed_rtt").GetDouble());
        Assert.Equal(25, data.GetProperty("latest_rtt").GetDouble());
        Assert.Equal(10, data.GetProperty("rtt_variance").GetDouble());
        Assert.Equal(14720, data.GetProperty("congestion_window").GetInt64());
        Assert.Equal(1200, data.GetProperty("bytes_in_flight").GetInt64());
    }

    [Fact]
    public void RecordsOfOtherLayers_AndRecordsAfterDispose_AreIgnored()
    {
        var writer = NewWriter();
        writer.Record(new WireRecord(WireDirection.Sent, WireLayer.Http3, new byte[3], "not quic"));
        Assert.Empty(_files);
        SendFirstInitial(writer);
        writer.Dispose();
        writer.Record(Packet(WireDirection.Received, QuicPacketType.Initial, 0, [PingFrame.Instance]));

        Assert.Equal(2, Events().Count);
    }

    [Fact]
    public void Datagrams_CarryTheirEcnCodepoint_AndEcnValidationAndCeAreEvents()
    {
        using (var writer = NewWriter())
        {
            SendFirstInitial(writer);
            writer.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, new byte[1300], new QuicDatagramTrace(1300, 1, EcnCodepoint.Ce)));
            writer.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, ReadOnlyMemory<byte>.Empty,
                new EcnStateChange(EcnState.Testing, EcnState.Capable, "the peer's counts match 3 acknowledged packet(s) marked ECT(0)")));
            writer.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, ReadOnlyMemory<byte>.Empty, new EcnCongestionExperienced(1, 20_000, 10_000)));
            writer.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, ReadOnlyMemory<byte>.Empty, new EcnCongestionExperienced(2, 10_000, 10_000)));
        }

        var events = Events();
        Assert.Equal(
            ["transport:datagrams_sent", "transport:packet_sent", "transport:datagrams_received", "recovery:ecn_state_updated", "recovery:congestion_state_updated"],
            events.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("Not-ECT", events[0].GetProperty("data").GetProperty("ecn")[0].GetString());
        Assert.Equal("CE", events[2].GetProperty("data").GetProperty("ecn")[0].GetString());
        var state = events[3].GetProperty("data");
        Assert.Equal(("testing", "capable"), (state.GetProperty("old").GetString(), state.GetProperty("new").GetString()));
        Assert.StartsWith("the peer's counts match", state.GetProperty("trigger").GetString());
        Assert.Equal(("recovery", "ECN"), (events[4].GetProperty("data").GetProperty("new").GetString(), events[4].GetProperty("data").GetProperty("trigger").GetString()));
    }

    private QlogWriter NewWriter() => new(name =>
    {
        var file = new MemoryStream();
        _files.Add(name, file);
        return file;
    }, _time, "hxi test");

    private static void SendFirstInitial(QlogWriter writer)
    {
        writer.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, new byte[1200], new QuicDatagramTrace(1200, 1)));
        writer.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, new byte[1200],
            new QuicPacketTrace(QuicPacketType.Initial, 1, Odcid, Scid, 0, 1200, false, [new CryptoFrame(0, new byte[300]), new PaddingFrame(850)])));
    }

    private static WireRecord Packet(WireDirection direction, QuicPacketType type, long number, IReadOnlyList<QuicFrame> frames) =>
        new(direction, WireLayer.Quic, new byte[100], new QuicPacketTrace(
            type, 1, direction == WireDirection.Sent ? ServerCid : Scid, type == QuicPacketType.OneRtt ? ReadOnlyMemory<byte>.Empty : ServerCid, number, 100, false, frames));

    /// <summary>Splits the file on RS (0x1E) and parses each part as one JSON text.</summary>
    private List<JsonElement> Records()
    {
        var text = Encoding.UTF8.GetString(_files.Single().Value.ToArray());
        return [.. text.Split('\x1e', StringSplitOptions.RemoveEmptyEntries).Select(part => JsonDocument.Parse(part).RootElement.Clone())];
    }

    private List<JsonElement> Events() => Records().Skip(1).ToList();
}
