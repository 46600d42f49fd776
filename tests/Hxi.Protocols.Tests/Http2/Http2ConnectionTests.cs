using System.Buffers;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Http2;

public class Http2ConnectionTests
{
    private static readonly HeaderField[] Request =
    [
        new(":method", "GET"), new(":scheme", "https"), new(":authority", "localhost"), new(":path", "/"),
    ];

    [Theory]
    [InlineData(1, false)]
    [InlineData(7, false)]
    [InlineData(int.MaxValue, false)]
    [InlineData(1, true)]
    [InlineData(7, true)]
    [InlineData(int.MaxValue, true)]
    public void RequestAndResponse_CrossThePair_InAnySplit(int chunkSize, bool zeroCopy)
    {
        var pair = new Http2Pair(chunkSize: chunkSize, zeroCopy: zeroCopy);
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Request, endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                pair.Server.SendHeaders((int)h.StreamId, [new(":status", "200")], endStream: false);
                pair.Server.SendData((int)h.StreamId, "hello"u8.ToArray(), endStream: true);
            }
        });

        Assert.Contains(pair.ServerEvents, e => e is PrefaceReceived);
        Assert.Contains(pair.ClientEvents, e => e is SettingsAcknowledged);
        var response = Assert.Single(pair.ClientEvents.OfType<HeadersReceived>());
        Assert.Equal(new HeaderField(":status", "200"), Assert.Single(response.Fields));
        var data = Assert.Single(pair.ClientEvents.OfType<DataReceived>());
        Assert.Equal("hello"u8.ToArray(), data.Data.ToArray());
        Assert.True(data.EndStream);
        Assert.Equal(Http2StreamState.Closed, pair.Client.GetStreamState(id));
    }

    [Fact]
    public void LargeBody_FlowsThroughSmallWindows_WithWindowUpdates()
    {
        var pair = new Http2Pair(
            client: new Http2ConnectionOptions { InitialWindowSize = 65_535, ConnectionWindowSize = 65_535 }, chunkSize: 5000, zeroCopy: true);
        var body = new byte[1_000_000];
        new Random(7).NextBytes(body);
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Request, endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                pair.Server.SendHeaders((int)h.StreamId, [new(":status", "200")], endStream: false);
                pair.Server.SendData((int)h.StreamId, body, endStream: true);
            }
        });

        var received = pair.ClientEvents.OfType<DataReceived>().SelectMany(d => d.Data.ToArray()).ToArray();
        Assert.Equal(body, received);
        Assert.True(pair.ClientEvents.OfType<DataReceived>().Last().EndStream);
    }

    [Fact]
    public void ManyStreams_Interleave_OnOneConnection()
    {
        var pair = new Http2Pair();
        var ids = Enumerable.Range(0, 20).Select(_ => pair.Client.OpenStream()).ToList();
        foreach (var id in ids)
        {
            pair.Client.SendHeaders(id, Request, endStream: true);
        }

        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                pair.Server.SendHeaders((int)h.StreamId, [new(":status", "200")], endStream: false);
                pair.Server.SendData((int)h.StreamId, new byte[40_000], endStream: true);
            }
        });

        Assert.Equal(ids, pair.ClientEvents.OfType<HeadersReceived>().Select(h => (int)h.StreamId).Order());
        foreach (var id in ids)
        {
            Assert.Equal(40_000, pair.ClientEvents.OfType<DataReceived>().Where(d => d.StreamId == id).Sum(d => d.Data.Length));
        }
    }

    [Fact]
    public void BigHeaderBlock_IsSplitIntoContinuation_AndReassembled()
    {
        var pair = new Http2Pair();
        var fields = Request.Concat(Enumerable.Range(0, 40).Select(i => new HeaderField($"x-big-{i:00}", new string('v', 200)))).ToList();
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, fields, endStream: true);
        pair.Pump();

        var request = Assert.Single(pair.ServerEvents.OfType<HeadersReceived>());
        Assert.Equal(fields, request.Fields);
    }

    [Fact]
    public void Trailers_WaitBehindQueuedData()
    {
        var pair = new Http2Pair();
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Request, endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                pair.Server.SendHeaders((int)h.StreamId, [new(":status", "200")], endStream: false);
                pair.Server.SendData((int)h.StreamId, new byte[100_000], endStream: false);
                pair.Server.SendHeaders((int)h.StreamId, [new("grpc-status", "0")], endStream: true);
            }
        });

        Assert.False(Assert.Single(pair.ClientEvents.OfType<HeadersReceived>()).EndStream);
        Assert.True(Assert.Single(pair.ClientEvents.OfType<TrailersReceived>()).EndStream);
        Assert.Equal(100_000, pair.ClientEvents.OfType<DataReceived>().Sum(d => d.Data.Length));
        Assert.IsType<TrailersReceived>(pair.ClientEvents.Last(e => e is MessageEvent));
    }

    [Fact]
    public void Ping_IsAnsweredWithAck()
    {
        var pair = new Http2Pair();
        pair.Client.SendPing(0x0102030405060708);
        pair.Pump();
        Assert.Contains(new PingReceived(0x0102030405060708), pair.ServerEvents);
        Assert.Contains(new PingAcknowledged(0x0102030405060708), pair.ClientEvents);
    }

    [Fact]
    public void DataOnIdleStream_IsAConnectionError_ProtocolError()
    {
        var pair = new Http2Pair();
        pair.Pump();
        pair.Client.SendRawFrame(new DataFrame(99, "hello"u8.ToArray(), EndStream: true));
        pair.Pump();

        var failure = Assert.Single(pair.ServerEvents.OfType<ConnectionFailed>());
        Assert.Equal(Http2ErrorCode.ProtocolError, failure.Code);
        var goAway = Assert.Single(pair.ClientEvents.OfType<GoAwayReceived>());
        Assert.Equal((uint)Http2ErrorCode.ProtocolError, goAway.ErrorCode);
        Assert.Contains("idle stream 99", goAway.DebugData);
    }

    [Fact]
    public void OversizedFrame_IsAFrameSizeError()
    {
        var pair = new Http2Pair();
        pair.Pump();
        pair.Client.SendRawFrame(new UnknownFrame(0xfa, 0, 0, new byte[20_000]));
        pair.Pump();
        Assert.Equal(Http2ErrorCode.FrameSizeError, Assert.Single(pair.ServerEvents.OfType<ConnectionFailed>()).Code);
    }

    [Fact]
    public void UnknownFrameTypes_AreIgnored()
    {
        var pair = new Http2Pair();
        pair.Client.SendRawFrame(new UnknownFrame(0xfa, 0x3, 0, "grease"u8.ToArray()));
        pair.Client.SendPing(1);
        pair.Pump();
        Assert.Empty(pair.ServerEvents.OfType<ConnectionFailed>());
        Assert.Contains(new PingReceived(1), pair.ServerEvents);
    }

    [Fact]
    public void FrameInterruptingAFieldBlock_IsAProtocolError()
    {
        var pair = new Http2Pair();
        pair.Pump();
        var block = pair.Client.EncodeHeaderBlock(Request, 1);
        pair.Client.SendRawFrame(new HeadersFrame(1, block, EndStream: true, EndHeaders: false));
        pair.Client.SendPing(5);
        pair.Pump();
        Assert.Equal(Http2ErrorCode.ProtocolError, Assert.Single(pair.ServerEvents.OfType<ConnectionFailed>()).Code);
    }

    [Fact]
    public void WindowOverflow_IsAFlowControlError()
    {
        var pair = new Http2Pair();
        pair.Pump();
        pair.Client.SendRawFrame(new WindowUpdateFrame(0, int.MaxValue));
        pair.Pump();
        Assert.Equal(Http2ErrorCode.FlowControlError, Assert.Single(pair.ServerEvents.OfType<ConnectionFailed>()).Code);
    }

    [Fact]
    public void InvalidMaxFrameSizeSetting_IsAProtocolError()
    {
        var pair = new Http2Pair();
        pair.Client.SendSettings([new Http2Setting(Http2SettingId.MaxFrameSize, 100)]);
        pair.Pump();
        Assert.Equal(Http2ErrorCode.ProtocolError, Assert.Single(pair.ServerEvents.OfType<ConnectionFailed>()).Code);
    }

    [Fact]
    public void PushPromise_WhenPushIsOff_IsAProtocolError()
    {
        var pair = new Http2Pair();
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Request, endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                var block = pair.Server.EncodeHeaderBlock(Request, (int)h.StreamId);
                pair.Server.SendRawFrame(new PushPromiseFrame((int)h.StreamId, 2, block, EndHeaders: true));
            }
        });
        Assert.Equal(Http2ErrorCode.ProtocolError, Assert.Single(pair.ClientEvents.OfType<ConnectionFailed>()).Code);
    }

    [Fact]
    public void StreamReset_ByPeer_IsReported()
    {
        var pair = new Http2Pair();
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Request, endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                pair.Server.ResetStream((int)h.StreamId, Http2ErrorCode.InternalError);
            }
        });
        Assert.Contains(new StreamReset(id, (uint)Http2ErrorCode.InternalError, ByPeer: true), pair.ClientEvents);
    }

    [Fact]
    public void StreamStateTable_CoversTheRfcDiagram()
    {
        Assert.True(Http2StreamStateMachine.TryTransition(Http2StreamState.Open, Http2StreamInput.ReceiveEndStream, out var next));
        Assert.Equal(Http2StreamState.HalfClosedRemote, next);
        Assert.False(Http2StreamStateMachine.TryTransition(Http2StreamState.Idle, Http2StreamInput.ReceiveEndStream, out _));
        Assert.False(Http2StreamStateMachine.TryTransition(Http2StreamState.HalfClosedRemote, Http2StreamInput.ReceiveHeaders, out _));
    }

    [Fact]
    public void Transmit_WritesPrefaceFirst()
    {
        var client = new Http2Connection(new Http2ConnectionOptions());
        client.Start();
        var output = new ArrayBufferWriter<byte>();
        client.Transmit(output);
        Assert.True(output.WrittenSpan.StartsWith(Http2Preface.Bytes));
    }
}
