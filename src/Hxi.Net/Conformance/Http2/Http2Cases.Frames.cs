using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using static Hxi.Net.Conformance.Http2.Http2CaseKit;

namespace Hxi.Net.Conformance.Http2;

public static partial class Http2Cases
{
    private const byte Padded = 0x8, EndStreamFlag = 0x1, EndHeadersFlag = 0x4;

    /// <summary>Section 6: the frame definitions other than SETTINGS (<c>.Settings.cs</c>) and WINDOW_UPDATE (<c>.Flow.cs</c>).</summary>
    private static void AddFrameCases(CaseCatalog c)
    {
        AddDataAndHeadersCases(c);
        AddControlFrameCases(c);
        AddContinuationCases(c);
    }

    private static void AddDataAndHeadersCases(CaseCatalog c)
    {
        c.Must(Rfc, "6.1", "DATA on stream 0", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Data, EndStreamFlag, 0, Bytes(4)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.1", "padded DATA whose Pad Length (6) equals the payload length", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false));
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Data, Padded | EndStreamFlag, 1, [6, 0, 0, 0, 0, 0]));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.1", "a request body in padded DATA (4 bytes of data, 8 of padding)", "padding is accepted: a response",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false));
                await peer.SendTriggerAsync(new DataFrame(1, Bytes(4, 0x61), EndStream: true, PadLength: 8));
                return await peer.ExpectResponseAsync(1);
            }));

        c.Must(Rfc, "6.2", "HEADERS on stream 0", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Headers, EndStreamFlag | EndHeadersFlag, 0, RequestBlock(peer.Context)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.2", "padded HEADERS whose Pad Length exceeds the rest of the payload", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context);
                byte[] payload = [(byte)(block.Length + 1), .. block];
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Headers, Padded | EndStreamFlag | EndHeadersFlag, 1, payload));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.2", "a request in padded HEADERS with the PRIORITY flag", "padding and priority fields are accepted: a response",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new HeadersFrame(1, RequestBlock(peer.Context), EndStream: true, EndHeaders: true,
                    new Http2PriorityFields(true, 0, 200), PadLength: 16));
                return await peer.ExpectResponseAsync(1);
            }));

        c.Must(Rfc, "6.2", "HEADERS without END_HEADERS, then DATA on the same stream", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context, method: "POST");
                await peer.SendTriggerAsync(Headers(1, block[..4], endStream: false, endHeaders: false), new DataFrame(1, Bytes(4), EndStream: true));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.2", "HEADERS without END_HEADERS, then HEADERS on another stream", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context);
                await peer.SendTriggerAsync(Headers(1, block[..4], endHeaders: false), Headers(3, block));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.2", "HEADERS without END_HEADERS, then a PING", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context);
                await peer.SendTriggerAsync(Headers(1, block[..4], endHeaders: false), new PingFrame(false, 7));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));
    }

    private static void AddControlFrameCases(CaseCatalog c)
    {
        c.Must(Rfc, "6.3", "PRIORITY on stream 0", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Priority, 0, 0, 0, 0, 0, 1, 15));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.3", "PRIORITY of 4 bytes on stream 1", "stream error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Priority, 0, 1, 0, 0, 0, 3));
                return await peer.ExpectStreamErrorAsync(1, Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "6.3", "PRIORITY on stream 1 after its request was answered (closed)", "PRIORITY is allowed on closed streams: no error",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context)));
                if (await peer.ExpectResponseAsync(1) is { Outcome: not CaseOutcome.Passed } first)
                {
                    return peer.Context.Skip($"the request was not answered: {first.Detail}");
                }

                await peer.SendTriggerAsync(new PriorityFrame(1, new Http2PriorityFields(false, 0, 100)));
                return await peer.ExpectConnectionAliveAsync("that PRIORITY be accepted on a closed stream");
            }));

        c.Must(Rfc, "6.4", "RST_STREAM on stream 0", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.RstStream, 0, 0, UInt32((uint)Http2ErrorCode.Cancel)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.4", "RST_STREAM of 3 bytes on an open stream", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false));
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.RstStream, 0, 1, 0, 0, 8));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "6.4", "RST_STREAM CANCEL on an open stream", "the stream ends; the connection carries on",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false));
                await peer.SendTriggerAsync(new RstStreamFrame(1, (uint)Http2ErrorCode.Cancel));
                return await peer.ExpectConnectionAliveAsync("that a client may cancel a stream");
            }));

        c.Must(Rfc, "6.6", "PUSH_PROMISE from the client", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false));
                await peer.SendTriggerAsync(new PushPromiseFrame(1, 3, RequestBlock(peer.Context), EndHeaders: true));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.7", "a PING with the ACK flag that the server never asked for", "no answer: a PING ACK is not acknowledged",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new PingFrame(true, 0x0102030405060708));
                var probe = await peer.SendProbeAsync();
                await foreach (var seen in peer.WatchAsync(probe))
                {
                    switch (seen)
                    {
                        case { Frame: PingFrame { Ack: true, OpaqueData: 0x0102030405060708 } }:
                            return peer.Context.Fail("the server answered the PING ACK with a PING ACK");
                        case { Frame: PingFrame { Ack: true } ack } when ack.OpaqueData == probe:
                            return peer.Context.Pass();
                        case { IsClosed: true } or { Frame: GoAwayFrame }:
                            return peer.Context.Fail("the server ended the connection over an unsolicited PING ACK");
                    }
                }

                return peer.Context.Fail("no answer to the PING sent after it");
            }));

        c.Must(Rfc, "6.7", "PING on stream 1", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Ping, 0, 1, Bytes(8)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.7", "PING of 6 bytes", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Ping, 0, 0, Bytes(6)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "6.8", "GOAWAY on stream 1", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.GoAway, 0, 1, [.. UInt32(0), .. UInt32(0)]));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));
    }

    private static void AddContinuationCases(CaseCatalog c)
    {
        c.Must(Rfc, "6.10", "a request split into HEADERS and two CONTINUATION frames", "a response",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context);
                await peer.SendTriggerAsync(
                    Headers(1, block[..3], endHeaders: false),
                    new ContinuationFrame(1, block[3..6], EndHeaders: false),
                    new ContinuationFrame(1, block[6..], EndHeaders: true));
                return await peer.ExpectResponseAsync(1);
            }));

        c.Must(Rfc, "6.10", "CONTINUATION after HEADERS that had END_HEADERS", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context, method: "POST");
                await peer.SendTriggerAsync(Headers(1, block, endStream: false), new ContinuationFrame(1, HpackBlockBuilder.Plain([new("x-more", "1")]), EndHeaders: true));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.10", "CONTINUATION after a CONTINUATION that had END_HEADERS", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context, method: "POST");
                await peer.SendTriggerAsync(
                    Headers(1, block[..4], endStream: false, endHeaders: false),
                    new ContinuationFrame(1, block[4..], EndHeaders: true),
                    new ContinuationFrame(1, HpackBlockBuilder.Plain([new("x-more", "1")]), EndHeaders: true));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.10", "HEADERS without END_HEADERS, then CONTINUATION on stream 0", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context);
                await peer.SendTriggerAsync(Headers(1, block[..4], endHeaders: false), Frame((byte)Http2FrameType.Continuation, EndHeadersFlag, 0, block[4..]));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.10", "HEADERS without END_HEADERS on stream 1, then CONTINUATION on stream 3", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context);
                await peer.SendTriggerAsync(Headers(1, block[..4], endHeaders: false), new ContinuationFrame(3, block[4..], EndHeaders: true));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));
    }
}
