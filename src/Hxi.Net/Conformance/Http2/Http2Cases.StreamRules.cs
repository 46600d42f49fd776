using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using static Hxi.Net.Conformance.Http2.Http2CaseKit;

namespace Hxi.Net.Conformance.Http2;

public static partial class Http2Cases
{
    /// <summary>
    /// Stream identifiers and states with another stream open (Section 5.1), error codes (Section 7), flow-control
    /// overflow by sums and by SETTINGS (Sections 6.9.1, 6.9.2), and the edges of SETTINGS values (Section 6.5.2).
    /// </summary>
    private static void AddStreamAndWindowCases(CaseCatalog c)
    {
        AddIdleStreamCases(c);
        AddWindowOverflowCases(c);
        AddSettingsEdgeCases(c);
    }

    private static void AddIdleStreamCases(CaseCatalog c)
    {
        // Stream 3 is still idle while stream 1 is open: only a HEADERS on stream 3 (or higher) would close it (5.1.1).
        var onIdle = new (string What, Func<Http2Frame> Frame)[]
        {
            ("DATA", () => new DataFrame(3, Bytes(4), EndStream: true)),
            ("WINDOW_UPDATE", () => new WindowUpdateFrame(3, 100)),
            ("RST_STREAM", () => new RstStreamFrame(3, (uint)Http2ErrorCode.Cancel)),
        };
        foreach (var (what, frame) in onIdle)
        {
            c.Must(Rfc, "5.1", $"{what} on idle stream 3 while stream 1 is open", "connection error PROTOCOL_ERROR",
                Connected(async peer =>
                {
                    await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false), frame());
                    return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
                }));
        }

        c.Must(Rfc, "7", "RST_STREAM with an unknown error code (0xdeadbeef) on an open stream", "no special behaviour: the stream ends, the connection carries on",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false), new RstStreamFrame(1, 0xdead_beef));
                return await peer.ExpectConnectionAliveAsync("that an unknown error code trigger no special behaviour");
            }));
    }

    private static void AddWindowOverflowCases(CaseCatalog c)
    {
        c.Must(Rfc, "6.9", "WINDOW_UPDATE with an increment of 0 on a half-closed (remote) stream", "stream error PROTOCOL_ERROR",
            HalfClosedRemote(async (peer, stream) =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.WindowUpdate, 0, stream, UInt32(0)), ReleaseResponse(stream));
                return await peer.ExpectStreamErrorAsync(stream, Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.9.1", "two WINDOW_UPDATEs of 2^30 on the connection (65,535 + 2^31 > 2^31-1)", "connection error FLOW_CONTROL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new WindowUpdateFrame(0, 1 << 30), new WindowUpdateFrame(0, 1 << 30));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FlowControlError);
            }));

        c.Must(Rfc, "6.9.1", "two WINDOW_UPDATEs of 2^30 on an open stream", "stream error FLOW_CONTROL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false), new WindowUpdateFrame(1, 1 << 30), new WindowUpdateFrame(1, 1 << 30));
                return await peer.ExpectStreamErrorAsync(1, Http2ErrorCode.FlowControlError);
            }));

        c.Must(Rfc, "6.9.2", "a held stream's window raised to 2^31-1, then SETTINGS_INITIAL_WINDOW_SIZE 0 -> 1", "the change overflows the stream window: connection error FLOW_CONTROL_ERROR",
            HalfClosedRemote(async (peer, stream) =>
            {
                await peer.SendTriggerAsync(new WindowUpdateFrame(stream, int.MaxValue), new SettingsFrame(false, [Setting(Http2SettingId.InitialWindowSize, 1)]));
                return await ExpectSettingsOverflowAsync(peer, stream);
            }));
    }

    /// <summary>
    /// A connection error FLOW_CONTROL_ERROR. The WINDOW_UPDATE lets the server send the rest of the response, and a
    /// server that ends the stream (DATA with END_STREAM) before it reads the SETTINGS has no open stream left to
    /// overflow: a skip, not a fail. A RST_STREAM instead of GOAWAY is a stream error where 6.9.2 requires a connection error.
    /// </summary>
    private static async Task<CaseVerdict> ExpectSettingsOverflowAsync(RawHttp2Peer peer, int streamId)
    {
        var probe = await peer.SendProbeAsync();
        var streamEnded = false;
        await foreach (var seen in peer.WatchAsync(probe))
        {
            switch (seen)
            {
                case { IsClosed: true }:
                    return peer.Context.Pass($"connection closed without GOAWAY ({seen.Closed})");
                case { Frame: GoAwayFrame goAway }:
                    return goAway.ErrorCode == (uint)Http2ErrorCode.FlowControlError
                        ? peer.Context.Pass()
                        : peer.Context.Fail($"GOAWAY {Http2ErrorCodes.Name(goAway.ErrorCode)}, the RFC requires a connection error FLOW_CONTROL_ERROR");
                case { Frame: DataFrame { EndStream: true } data } when data.StreamId == streamId:
                    streamEnded = true;
                    break;
                case { Frame: RstStreamFrame rst } when rst.StreamId == streamId && !streamEnded:
                    return peer.Context.Fail($"RST_STREAM {Http2ErrorCodes.Name(rst.ErrorCode)} on stream {streamId} (a stream error); the RFC requires a connection error FLOW_CONTROL_ERROR");
            }
        }

        return streamEnded
            ? peer.Context.Skip($"the server ended stream {streamId} (its window opened) before it read the SETTINGS, so no open stream overflowed")
            : peer.Context.Fail($"the server carried on with stream {streamId}'s window above 2^31-1; the RFC requires a connection error FLOW_CONTROL_ERROR");
    }

    private static void AddSettingsEdgeCases(CaseCatalog c)
    {
        c.Must(Rfc, "6.5.2", "SETTINGS_INITIAL_WINDOW_SIZE = 2^31-1 (the largest allowed)", "a valid value: SETTINGS ACK",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new SettingsFrame(false, [Setting(Http2SettingId.InitialWindowSize, int.MaxValue)]));
                return await ExpectSettingsAckAsync(peer);
            }));

        c.Must(Rfc, "6.5.2", "SETTINGS_MAX_FRAME_SIZE = 2^24-1 (the largest allowed)", "a valid value: SETTINGS ACK",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new SettingsFrame(false, [Setting(Http2SettingId.MaxFrameSize, (1 << 24) - 1)]));
                return await ExpectSettingsAckAsync(peer);
            }));
    }
}
