using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using static Hxi.Net.Conformance.Http2.Http2CaseKit;

namespace Hxi.Net.Conformance.Http2;

public static partial class Http2Cases
{
    private const byte AckFlag = 0x1;

    /// <summary>Section 6.5: SETTINGS format, defined values and synchronisation.</summary>
    private static void AddSettingsCases(CaseCatalog c)
    {
        c.Must(Rfc, "6.5", "SETTINGS ACK with 6 bytes of payload", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Settings, AckFlag, 0, 0, 3, 0, 0, 0, 100));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "6.5", "SETTINGS on stream 1", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Settings, 0, 1, 0, 3, 0, 0, 0, 100));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.5", "SETTINGS of 3 bytes (not a multiple of 6)", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Settings, 0, 0, 0, 3, 0));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "6.5.2", "SETTINGS_ENABLE_PUSH = 2", "connection error PROTOCOL_ERROR",
            SettingsViolation(Http2SettingId.EnablePush, 2, Http2ErrorCode.ProtocolError));

        c.Must(Rfc, "6.5.2", "SETTINGS_INITIAL_WINDOW_SIZE = 2^31", "connection error FLOW_CONTROL_ERROR",
            SettingsViolation(Http2SettingId.InitialWindowSize, 0x8000_0000, Http2ErrorCode.FlowControlError));

        c.Must(Rfc, "6.5.2", "SETTINGS_MAX_FRAME_SIZE = 16,383 (below the minimum)", "connection error PROTOCOL_ERROR",
            SettingsViolation(Http2SettingId.MaxFrameSize, 16_383, Http2ErrorCode.ProtocolError));

        c.Must(Rfc, "6.5.2", "SETTINGS_MAX_FRAME_SIZE = 2^24 (above the maximum)", "connection error PROTOCOL_ERROR",
            SettingsViolation(Http2SettingId.MaxFrameSize, 1 << 24, Http2ErrorCode.ProtocolError));

        c.Must(Rfc, "6.5.2", "a SETTINGS frame with an unknown identifier (0xfafa)", "the setting is ignored: SETTINGS ACK",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new SettingsFrame(false, [Setting((Http2SettingId)0xfafa, 7)]));
                return await ExpectSettingsAckAsync(peer);
            }));

        c.Must(Rfc, "6.5.3", "a second SETTINGS frame after the handshake", "SETTINGS ACK",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new SettingsFrame(false, [Setting(Http2SettingId.MaxConcurrentStreams, 50)]));
                return await ExpectSettingsAckAsync(peer);
            }));

        c.Must(Rfc, "6.5.3", "SETTINGS_INITIAL_WINDOW_SIZE 100 then 1 in one frame, then a request", "values apply in order: the first DATA has at most 1 byte",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(
                    new SettingsFrame(false, [Setting(Http2SettingId.InitialWindowSize, 100), Setting(Http2SettingId.InitialWindowSize, 1)]),
                    Headers(1, RequestBlock(peer.Context)));
                return await ExpectDataWithinWindowAsync(peer, 1, 1);
            }));
    }

    private static Func<CaseContext, Task<CaseVerdict>> SettingsViolation(Http2SettingId id, uint value, Http2ErrorCode expected) =>
        Connected(async peer =>
        {
            await peer.SendTriggerAsync(new SettingsFrame(false, [Setting(id, value)]));
            return await peer.ExpectConnectionErrorAsync(expected);
        });

    private static async Task<CaseVerdict> ExpectSettingsAckAsync(RawHttp2Peer peer)
    {
        await foreach (var seen in peer.WatchAsync(probe: null))
        {
            switch (seen)
            {
                case { Frame: SettingsFrame { Ack: true } }:
                    return peer.Context.Pass();
                case { IsClosed: true }:
                    return peer.Context.Fail($"{seen.Closed}; the RFC requires a SETTINGS ACK");
                case { Frame: GoAwayFrame goAway }:
                    return peer.Context.Fail($"GOAWAY {Http2ErrorCodes.Name(goAway.ErrorCode)}; the RFC requires a SETTINGS ACK");
            }
        }

        return peer.Context.Fail($"no SETTINGS ACK within {peer.Context.Target.CaseTimeout.TotalSeconds:0.#} s");
    }
}
