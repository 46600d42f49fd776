using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using static Hxi.Net.Conformance.Http2.Http2CaseKit;

namespace Hxi.Net.Conformance.Http2;

public static partial class Http2Cases
{
    /// <summary>Section 6.9: WINDOW_UPDATE and the flow-control windows the server must respect.</summary>
    private static void AddFlowControlCases(CaseCatalog c)
    {
        c.Must(Rfc, "6.9", "WINDOW_UPDATE with an increment of 0 on the connection", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.WindowUpdate, 0, 0, UInt32(0)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.9", "WINDOW_UPDATE with an increment of 0 on an open stream", "stream error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false));
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.WindowUpdate, 0, 1, UInt32(0)));
                return await peer.ExpectStreamErrorAsync(1, Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.9", "WINDOW_UPDATE of 3 bytes", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.WindowUpdate, 0, 0, 0, 0, 1));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "6.9", "WINDOW_UPDATE on the connection with the reserved bit of the increment set", "the bit is ignored: no error",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.WindowUpdate, 0, 0, UInt32(0x8000_0001)));
                return await peer.ExpectConnectionAliveAsync("that the reserved bit be ignored");
            }));

        c.Must(Rfc, "6.9.1", "WINDOW_UPDATE that takes the connection window above 2^31-1", "connection error FLOW_CONTROL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new WindowUpdateFrame(0, int.MaxValue));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FlowControlError);
            }));

        c.Must(Rfc, "6.9.1", "two WINDOW_UPDATEs of 2^31-1 on an open stream", "stream error FLOW_CONTROL_ERROR",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false));
                await peer.SendTriggerAsync(new WindowUpdateFrame(1, int.MaxValue), new WindowUpdateFrame(1, int.MaxValue));
                return await peer.ExpectStreamErrorAsync(1, Http2ErrorCode.FlowControlError);
            }, Setting(Http2SettingId.InitialWindowSize, 0)));

        c.Must(Rfc, "6.9.1", "SETTINGS_INITIAL_WINDOW_SIZE = 1, then a request", "the server sends at most 1 byte of DATA",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context)));
                return await ExpectDataWithinWindowAsync(peer, 1, 1);
            }, Setting(Http2SettingId.InitialWindowSize, 1)));

        c.Must(Rfc, "6.9.2", "SETTINGS_INITIAL_WINDOW_SIZE = 0, a request, then SETTINGS_INITIAL_WINDOW_SIZE = 3", "the open stream's window grows by 3: up to 3 bytes of DATA",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context)));
                await foreach (var seen in peer.WatchAsync(probe: null))
                {
                    switch (seen)
                    {
                        case { Frame: DataFrame { FlowControlledLength: > 0 } data }:
                            return peer.Context.Fail($"DATA of {data.FlowControlledLength} bytes on a stream whose window is 0");
                        case { Frame: HeadersFrame { StreamId: 1, EndStream: true } }:
                            return peer.Context.Skip("the response has no body, so there is no window to watch");
                        case { Frame: HeadersFrame { StreamId: 1 } }:
                            await peer.SendTriggerAsync(new SettingsFrame(false, [Setting(Http2SettingId.InitialWindowSize, 3)]));
                            return await ExpectDataWithinWindowAsync(peer, 1, 3);
                        case { IsClosed: true } or { Frame: GoAwayFrame } or { Frame: RstStreamFrame }:
                            return peer.Context.Fail("the request was not answered (see frames)");
                    }
                }

                return peer.Context.Fail("no response HEADERS");
            }, Setting(Http2SettingId.InitialWindowSize, 0)));
    }

    /// <summary>
    /// DATA on <paramref name="streamId"/> must come, and add up to no more than <paramref name="window"/> bytes (padding
    /// included): once the window is used up the server must wait, which the grace period watches.
    /// </summary>
    private static async Task<CaseVerdict> ExpectDataWithinWindowAsync(RawHttp2Peer peer, int streamId, int window)
    {
        var received = 0;
        var headersEnded = false;
        await foreach (var seen in peer.WatchAsync(probe: null))
        {
            switch (seen)
            {
                case { Frame: DataFrame data } when data.StreamId == streamId:
                    received += data.FlowControlledLength;
                    if (received > window)
                    {
                        return peer.Context.Fail($"{received} bytes of DATA on stream {streamId}, whose window is {window}");
                    }

                    if (data.EndStream)
                    {
                        return received == window ? peer.Context.Pass() : peer.Context.Skip($"the whole body ({received} bytes) fits in the window of {window}");
                    }

                    if (received == window)
                    {
                        // The window is used up: anything more within the grace period is a violation.
                        var more = await peer.NextAsync(peer.Context.Target.Grace);
                        return more is { Frame: DataFrame { FlowControlledLength: > 0 } extra } && extra.StreamId == streamId
                            ? peer.Context.Fail($"{received + extra.FlowControlledLength} bytes of DATA on stream {streamId}, whose window is {window}")
                            : peer.Context.Pass();
                    }

                    break;
                case { Frame: HeadersFrame headers } when headers.StreamId == streamId:
                    headersEnded = headers.EndStream;
                    if (headersEnded)
                    {
                        return peer.Context.Skip("the response has no body, so there is no window to watch");
                    }

                    break;
                case { IsClosed: true } or { Frame: GoAwayFrame }:
                    return peer.Context.Fail($"the connection ended before any DATA (see frames)");
                case { Frame: RstStreamFrame rst } when rst.StreamId == streamId:
                    return peer.Context.Fail($"RST_STREAM {Http2ErrorCodes.Name(rst.ErrorCode)} instead of DATA");
            }
        }

        return received > 0 ? peer.Context.Pass() : peer.Context.Fail($"no DATA on stream {streamId} though the window allows {window} bytes");
    }
}
