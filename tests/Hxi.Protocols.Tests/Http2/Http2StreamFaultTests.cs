using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Http2;

/// <summary>RFC 9113 Section 5.1 (and 6.6 for PUSH_PROMISE) in the state table: every state against every frame it can receive.</summary>
public class Http2StreamFaultTests
{
    private const Http2StreamState Idle = Http2StreamState.Idle, ReservedLocal = Http2StreamState.ReservedLocal,
        ReservedRemote = Http2StreamState.ReservedRemote, Open = Http2StreamState.Open, HalfClosedLocal = Http2StreamState.HalfClosedLocal,
        HalfClosedRemote = Http2StreamState.HalfClosedRemote, Closed = Http2StreamState.Closed;

    private const Http2StreamInput Headers = Http2StreamInput.ReceiveHeaders, EndStream = Http2StreamInput.ReceiveEndStream,
        Data = Http2StreamInput.ReceiveData, Priority = Http2StreamInput.ReceivePriority, Reset = Http2StreamInput.ReceiveReset,
        WindowUpdate = Http2StreamInput.ReceiveWindowUpdate, PushOn = Http2StreamInput.ReceivePushPromiseOnStream,
        Promised = Http2StreamInput.ReceivePushPromise;

    private static readonly HeaderField[] Request =
    [
        new(":method", "GET"), new(":scheme", "https"), new(":authority", "localhost"), new(":path", "/"),
    ];

    // The RFC's words, state by state; "conn" is a connection error PROTOCOL_ERROR, "closed" a stream error STREAM_CLOSED,
    // "discard" is minimal processing then nothing (a stream this endpoint closed may still get frames in flight).
    public static TheoryData<Http2StreamState, Http2StreamInput, string> Rfc9113Section5_1 => new()
    {
        // idle: "Receiving any frame other than HEADERS or PRIORITY ... connection error PROTOCOL_ERROR"; a PUSH_PROMISE reserves it.
        { Idle, Headers, "Open" }, { Idle, EndStream, "conn" }, { Idle, Data, "conn" }, { Idle, Priority, "Idle" },
        { Idle, Reset, "conn" }, { Idle, WindowUpdate, "conn" }, { Idle, PushOn, "conn" }, { Idle, Promised, "ReservedRemote" },

        // reserved (local): "other than RST_STREAM, PRIORITY, or WINDOW_UPDATE ... connection error PROTOCOL_ERROR".
        { ReservedLocal, Headers, "conn" }, { ReservedLocal, EndStream, "conn" }, { ReservedLocal, Data, "conn" }, { ReservedLocal, Priority, "ReservedLocal" },
        { ReservedLocal, Reset, "Closed" }, { ReservedLocal, WindowUpdate, "ReservedLocal" }, { ReservedLocal, PushOn, "conn" }, { ReservedLocal, Promised, "conn" },

        // reserved (remote): "other than HEADERS, RST_STREAM, or PRIORITY ... connection error PROTOCOL_ERROR".
        { ReservedRemote, Headers, "HalfClosedLocal" }, { ReservedRemote, EndStream, "conn" }, { ReservedRemote, Data, "conn" }, { ReservedRemote, Priority, "ReservedRemote" },
        { ReservedRemote, Reset, "Closed" }, { ReservedRemote, WindowUpdate, "conn" }, { ReservedRemote, PushOn, "conn" }, { ReservedRemote, Promised, "conn" },

        // open: "frames of any type"; END_STREAM received makes it "half-closed (remote)".
        { Open, Headers, "Open" }, { Open, EndStream, "HalfClosedRemote" }, { Open, Data, "Open" }, { Open, Priority, "Open" },
        { Open, Reset, "Closed" }, { Open, WindowUpdate, "Open" }, { Open, PushOn, "Open" }, { Open, Promised, "conn" },

        // half-closed (local): "An endpoint can receive any type of frame in this state"; END_STREAM closes it.
        { HalfClosedLocal, Headers, "HalfClosedLocal" }, { HalfClosedLocal, EndStream, "Closed" }, { HalfClosedLocal, Data, "HalfClosedLocal" },
        { HalfClosedLocal, Priority, "HalfClosedLocal" }, { HalfClosedLocal, Reset, "Closed" }, { HalfClosedLocal, WindowUpdate, "HalfClosedLocal" },
        { HalfClosedLocal, PushOn, "HalfClosedLocal" }, { HalfClosedLocal, Promised, "conn" },

        // half-closed (remote): "other than WINDOW_UPDATE, PRIORITY, or RST_STREAM ... stream error STREAM_CLOSED";
        // Section 6.6: a PUSH_PROMISE on a stream neither "open" nor "half-closed (local)" is a connection error PROTOCOL_ERROR.
        { HalfClosedRemote, Headers, "closed" }, { HalfClosedRemote, EndStream, "closed" }, { HalfClosedRemote, Data, "closed" },
        { HalfClosedRemote, Priority, "HalfClosedRemote" }, { HalfClosedRemote, Reset, "Closed" }, { HalfClosedRemote, WindowUpdate, "HalfClosedRemote" },
        { HalfClosedRemote, PushOn, "conn" }, { HalfClosedRemote, Promised, "conn" },

        // closed: WINDOW_UPDATE and RST_STREAM may trail our END_STREAM or RST_STREAM; frames in flight are minimally
        // processed and discarded (DATA answered with STREAM_CLOSED); a PUSH_PROMISE still reserves its promised stream.
        { Closed, Headers, "discard" }, { Closed, EndStream, "closed" }, { Closed, Data, "closed" }, { Closed, Priority, "Closed" },
        { Closed, Reset, "discard" }, { Closed, WindowUpdate, "discard" }, { Closed, PushOn, "Closed" }, { Closed, Promised, "conn" },
    };

    [Theory]
    [MemberData(nameof(Rfc9113Section5_1))]
    public void Rfc9113_5_1_ReceivingAFrame_InEachState(Http2StreamState state, Http2StreamInput input, string expected)
    {
        var outcome = Http2StreamStateMachine.Receive(state, input);
        switch (expected)
        {
            case "conn":
                Assert.Equal(new Http2StreamFault(Http2ErrorCode.ProtocolError, IsConnectionError: true), outcome.Fault);
                break;
            case "closed":
                Assert.Equal(new Http2StreamFault(Http2ErrorCode.StreamClosed, IsConnectionError: false), outcome.Fault);
                break;
            case "discard":
                Assert.Null(outcome.Fault);
                Assert.True(outcome.Ignored);
                break;
            default:
                Assert.True(outcome.IsAllowed);
                Assert.Equal(Enum.Parse<Http2StreamState>(expected), outcome.Next);
                break;
        }
    }

    [Fact]
    public void TheTable_HasAnOutcomeForEveryStateAndReceivedFrame_AndTheTheoryChecksThemAll()
    {
        var received = Http2StreamStateMachine.Entries.Where(e => Http2StreamStateMachine.ReceivedInputs.Contains(e.Input)).ToList();
        Assert.Equal(Enum.GetValues<Http2StreamState>().Length * Http2StreamStateMachine.ReceivedInputs.Count, received.Count);
        Assert.Equal(received.Count, Rfc9113Section5_1.Count);
    }

    [Theory]
    [InlineData(Open, Http2StreamInput.SendEndStream, HalfClosedLocal)]
    [InlineData(HalfClosedRemote, Http2StreamInput.SendEndStream, Closed)]
    [InlineData(Idle, Http2StreamInput.SendHeaders, Open)]
    [InlineData(ReservedLocal, Http2StreamInput.SendHeaders, HalfClosedRemote)]
    [InlineData(HalfClosedLocal, Http2StreamInput.SendReset, Closed)]
    public void LocalCommands_FollowTheDiagram(Http2StreamState state, Http2StreamInput input, Http2StreamState next) =>
        Assert.Equal(next, Http2StreamStateMachine.Send(state, input));

    [Theory]
    [InlineData(HalfClosedLocal, Http2StreamInput.SendHeaders)]
    [InlineData(HalfClosedLocal, Http2StreamInput.SendEndStream)]
    [InlineData(Closed, Http2StreamInput.SendHeaders)]
    [InlineData(ReservedRemote, Http2StreamInput.SendHeaders)]
    [InlineData(Idle, Http2StreamInput.SendReset)]
    public void LocalCommands_TheStateForbids_AreMisuse(Http2StreamState state, Http2StreamInput input) =>
        Assert.Throws<InvalidOperationException>(() => Http2StreamStateMachine.Send(state, input));

    [Fact]
    public void ReceivedInputs_AreNotCommands() =>
        Assert.Throws<ArgumentException>(() => Http2StreamStateMachine.Receive(Open, Http2StreamInput.SendHeaders));

    [Fact]
    public void HeadersAfterOurOwnEndStream_IsMisuse_NotAProtocolError()
    {
        var pair = new Http2Pair();
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Request, endStream: true);
        Assert.Throws<InvalidOperationException>(() => pair.Client.SendHeaders(id, [new("x-trailer", "1")], endStream: true));
    }

    [Fact]
    public void PushPromise_OnAStreamTheClientNeverOpened_IsAConnectionError()
    {
        var pair = new Http2Pair(client: new Http2ConnectionOptions { EnablePush = true });
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Request, endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                var block = pair.Server.EncodeHeaderBlock(Request, (int)h.StreamId);
                pair.Server.SendRawFrame(new PushPromiseFrame((int)h.StreamId + 2, 2, block, EndHeaders: true));
            }
        });

        var failed = Assert.Single(pair.ClientEvents.OfType<ConnectionFailed>());
        Assert.Equal(Http2ErrorCode.ProtocolError, failed.Code);
        Assert.Contains("PUSH_PROMISE on idle stream 3", failed.Reason);
    }

    [Fact]
    public void WindowUpdate_OnAPushedStreamBeforeItsHeaders_IsAConnectionError()
    {
        var pair = new Http2Pair(client: new Http2ConnectionOptions { EnablePush = true });
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Request, endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                var block = pair.Server.EncodeHeaderBlock(Request, (int)h.StreamId);
                pair.Server.SendRawFrame(new PushPromiseFrame((int)h.StreamId, 2, block, EndHeaders: true));
                pair.Server.SendRawFrame(new WindowUpdateFrame(2, 100));
            }
        });

        var failed = Assert.Single(pair.ClientEvents.OfType<ConnectionFailed>());
        Assert.Equal(Http2ErrorCode.ProtocolError, failed.Code);
        Assert.Contains("WINDOW_UPDATE on stream 2 in state ReservedRemote", failed.Reason);
    }
}
