using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Tests.Http3;

/// <summary>What the --frames and --qpack views receive from the tap: every frame with its stream, every section and instruction.</summary>
public class Http3TraceTests
{
    private sealed class RecordingTap : IWireTap
    {
        public List<WireRecord> Records { get; } = [];

        public void Record(in WireRecord record) => Records.Add(record with { Bytes = record.Bytes.ToArray() });
    }

    [Fact]
    public void TapShowsStreamTypesFramesQpackSectionsAndInstructions()
    {
        var tap = new RecordingTap();
        var pair = new Http3Pair(seed: 3, clientTap: tap);
        pair.Start();
        long stream = pair.Client.SendRequest(Http3Pair.Get("/traced"), endStream: true);
        pair.Pump();
        pair.Server.SendHeaders(stream, Http3Pair.Status(200, new Hxi.Protocols.Primitives.HeaderField("x-trace", "a value worth indexing")), endStream: false);
        pair.Server.SendData(stream, "ok"u8, endStream: true);
        pair.Pump();

        var decoded = tap.Records.Select(r => (r.Direction, r.Decoded)).ToList();
        Assert.Contains((WireDirection.Sent, (object?)new Http3StreamTypeTrace(pair.Client.ControlStreamId, Http3StreamType.Control)), decoded);
        Assert.Contains(decoded, d => d.Direction == WireDirection.Received && d.Decoded is Http3StreamTypeTrace { StreamType: Http3StreamType.QpackEncoder });
        Assert.Contains(decoded, d => d.Decoded is Http3FrameTrace { Frame: SettingsFrame } && d.Direction == WireDirection.Received);
        Assert.Contains(decoded, d => d.Decoded is Http3FrameTrace { Frame: HeadersFrame } t && t.StreamId == stream && d.Direction == WireDirection.Sent);
        Assert.Contains(decoded, d => d.Decoded is Http3FrameTrace { Frame: DataFrame, PayloadLength: 2 } t && t.StreamId == stream);

        var sent = tap.Records.Single(r => r.Direction == WireDirection.Sent && r.Decoded is QpackSectionTrace);
        var sentTrace = (QpackSectionTrace)sent.Decoded!;
        byte[] recomposed = [.. sentTrace.Prefix.ToArray(), .. sentTrace.Lines.SelectMany(l => l.Encoded.ToArray())];
        Assert.Equal(sent.Bytes.ToArray(), recomposed);
        Assert.Contains(sentTrace.Lines, l => l.Representation == QpackRepresentation.IndexedStatic && l.Field.Name == ":method");
        Assert.Contains(sentTrace.Lines, l => l.Representation == QpackRepresentation.IndexedPostBase);

        var received = tap.Records.Where(r => r.Direction == WireDirection.Received).Select(r => r.Decoded).OfType<QpackSectionTrace>().Single();
        Assert.Equal(stream, received.StreamId);
        Assert.Contains(received.Lines, l => l.Field.Name == "x-trace" && l.AbsoluteIndex >= 0);

        var instructions = tap.Records.Select(r => r.Decoded).OfType<QpackInstructionTrace>().Select(i => i.Kind).ToList();
        Assert.Contains(QpackInstructionKind.SetDynamicTableCapacity, instructions);
        Assert.Contains(QpackInstructionKind.InsertWithLiteralName, instructions);
        Assert.Contains(QpackInstructionKind.SectionAcknowledgment, instructions);
    }

    [Fact]
    public void PushStreamIsTracedOnceItsPushIdHasArrived_TypeAndIdInOneRecord()
    {
        var tap = new RecordingTap();
        var pair = new Http3Pair(new Http3ConnectionOptions { MaxPushId = 300 }, seed: 9, clientTap: tap);
        pair.Start();
        long pushStream = pair.Server.OpenUniStream(Http3StreamType.Push);
        pair.Server.SendStreamBytes(pushStream, [0x41, 0x2c], fin: false);
        pair.Pump();

        var record = Assert.Single(tap.Records, r => r.Decoded is Http3StreamTypeTrace { StreamType: Http3StreamType.Push });
        Assert.Equal(new Http3StreamTypeTrace(pushStream, Http3StreamType.Push) { PushId = 300 }, record.Decoded);
        Assert.Equal(new byte[] { 0x01, 0x41, 0x2c }, record.Bytes.ToArray());
    }
}
