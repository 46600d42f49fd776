using Hxi.Protocols.Http3;
using static Hxi.Net.Conformance.Http3.Http3CaseKit;

namespace Hxi.Net.Conformance.Http3;

public static partial class Http3Cases
{
    /// <summary>Section 7: frame layout, which frames each stream allows, SETTINGS, GOAWAY, push ids, reserved and unknown types.</summary>
    private static void AddFrameCases(CaseCatalog c)
    {
        AddLayoutRules(c);
        AddPlacementRules(c);
        AddSettingsRules(c);
        AddIdentifierRules(c);
        AddReservedTypes(c);
    }

    private static void AddLayoutRules(CaseCatalog c)
    {
        c.Must(Rfc, "7.1", "SETTINGS (first on the control stream) whose last setting has no value", "connection error H3_FRAME_ERROR",
            Raw(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenUniAsync(Http3StreamType.Control, Frame(Http3FrameType.Settings, 0x06));
                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.FrameError);
            }));

        c.Must(Rfc, "7.1", "GOAWAY with a byte after its stream id", "connection error H3_FRAME_ERROR",
            OnControl(Frame(Http3FrameType.GoAway, 0x00, 0x00), Http3ErrorCode.FrameError));

        c.Must(Rfc, "7.1", "GOAWAY whose 2-byte varint is cut after 1 byte", "connection error H3_FRAME_ERROR",
            OnControl(Frame(Http3FrameType.GoAway, 0x40), Http3ErrorCode.FrameError));

        c.Must(Rfc, "7.1", "MAX_PUSH_ID with an empty payload", "connection error H3_FRAME_ERROR",
            OnControl(Frame(Http3FrameType.MaxPushId), Http3ErrorCode.FrameError));

        c.Must(Rfc, "7.1", "a request stream that ends (FIN) inside a HEADERS frame (length 40, 3 bytes sent)", "connection error H3_FRAME_ERROR",
            OnRequest(context => [.. RawHttp3Peer.Varint(Http3FrameType.Headers), .. RawHttp3Peer.Varint(40), .. RequestSection(context)[..3]], Http3ErrorCode.FrameError));

        c.Must(Rfc, "7.1", "a request stream that ends (FIN) inside a DATA frame (length 10, 2 bytes sent)", "connection error H3_FRAME_ERROR",
            OnRequest(context => [.. Headers(RequestSection(context, method: "POST")), .. RawHttp3Peer.Varint(Http3FrameType.Data), .. RawHttp3Peer.Varint(10), 0x61, 0x62], Http3ErrorCode.FrameError));
    }

    private static void AddPlacementRules(CaseCatalog c)
    {
        c.Must(Rfc, "7.2.1", "DATA on the control stream", "connection error H3_FRAME_UNEXPECTED",
            OnControl(Data(Bytes(4)), Http3ErrorCode.FrameUnexpected));

        c.Must(Rfc, "7.2.2", "HEADERS on the control stream", "connection error H3_FRAME_UNEXPECTED",
            OnControl(Headers(QpackSectionBuilder.Plain([new(":status", "200")])), Http3ErrorCode.FrameUnexpected));

        c.Must(Rfc, "7.2.3", "CANCEL_PUSH on a request stream", "connection error H3_FRAME_UNEXPECTED",
            OnRequest(context => Concat(Headers(RequestSection(context)), IdFrame(Http3FrameType.CancelPush, 0)), Http3ErrorCode.FrameUnexpected));

        c.Must(Rfc, "7.2.4", "SETTINGS on a request stream", "connection error H3_FRAME_UNEXPECTED",
            OnRequest(context => Concat(Settings(), Headers(RequestSection(context))), Http3ErrorCode.FrameUnexpected));

        c.Must(Rfc, "7.2.5", "PUSH_PROMISE on a request stream (a client must not send it)", "connection error H3_FRAME_UNEXPECTED",
            OnRequest(context => Concat(Headers(RequestSection(context)), Frame(Http3FrameType.PushPromise, [0x00, .. RequestSection(context)])), Http3ErrorCode.FrameUnexpected));

        c.Must(Rfc, "7.2.5", "PUSH_PROMISE on the control stream", "connection error H3_FRAME_UNEXPECTED",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.SendAsync(peer.ControlStreamId, Frame(Http3FrameType.PushPromise, [0x00, .. RequestSection(peer.Context)]));
                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.FrameUnexpected);
            }));

        // The frame table of Section 7 allows GOAWAY and MAX_PUSH_ID on the control stream only; Section 4.1 makes any
        // other frame sequence on a request stream H3_FRAME_UNEXPECTED.
        c.Must(Rfc, "7.2.6", "GOAWAY on a request stream", "connection error H3_FRAME_UNEXPECTED",
            OnRequest(context => Concat(Headers(RequestSection(context)), IdFrame(Http3FrameType.GoAway, 0)), Http3ErrorCode.FrameUnexpected));

        c.Must(Rfc, "7.2.7", "MAX_PUSH_ID on a request stream", "connection error H3_FRAME_UNEXPECTED",
            OnRequest(context => Concat(Headers(RequestSection(context)), IdFrame(Http3FrameType.MaxPushId, 4)), Http3ErrorCode.FrameUnexpected));
    }

    private static void AddSettingsRules(CaseCatalog c)
    {
        c.Must(Rfc, "7.2.4", "a second SETTINGS on the control stream", "connection error H3_FRAME_UNEXPECTED",
            OnControl(Settings(), Http3ErrorCode.FrameUnexpected));

        c.Should(Rfc, "7.2.4", "SETTINGS naming SETTINGS_MAX_FIELD_SECTION_SIZE twice", "connection error H3_SETTINGS_ERROR (a receiver MAY)",
            Raw(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenUniAsync(Http3StreamType.Control, Settings((0x06, 4096), (0x06, 8192)));
                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.SettingsError);
            }));

        c.Must(Rfc, "7.2.4", "SETTINGS with an unknown identifier 0x4242", "ignored: a following request is answered",
            Raw(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenUniAsync(Http3StreamType.Control, Settings((0x4242, 1)));
                return await peer.ExpectIgnoredAsync("an unknown setting to be ignored");
            }));

        c.Must(Rfc, "7.2.4.1", "SETTINGS with a reserved (GREASE) identifier", "ignored: a following request is answered",
            Raw(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenUniAsync(Http3StreamType.Control, Settings((Grease(9), 77)));
                return await peer.ExpectIgnoredAsync("a reserved setting to have no meaning");
            }));

        foreach (var (id, name) in new[] { (0x02L, "ENABLE_PUSH"), (0x03L, "MAX_CONCURRENT_STREAMS"), (0x04L, "INITIAL_WINDOW_SIZE"), (0x05L, "MAX_FRAME_SIZE") })
        {
            c.Must(Rfc, "7.2.4.1", $"SETTINGS with the HTTP/2 identifier 0x{id:x} (SETTINGS_{name})", "connection error H3_SETTINGS_ERROR",
                Raw(async peer =>
                {
                    peer.MarkTrigger();
                    await peer.OpenUniAsync(Http3StreamType.Control, Settings((id, 100)));
                    return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.SettingsError);
                }));
        }
    }

    private static void AddIdentifierRules(CaseCatalog c)
    {
        c.Must(Rfc, "5.2", "GOAWAY with push id 4, then GOAWAY with a larger push id 8", "connection error H3_ID_ERROR",
            OnControl(Concat(IdFrame(Http3FrameType.GoAway, 4), IdFrame(Http3FrameType.GoAway, 8)), Http3ErrorCode.IdError));

        c.Must(Rfc, "7.2.3", "CANCEL_PUSH for push id 3 after MAX_PUSH_ID 10, with no PUSH_PROMISE for it", "connection error H3_ID_ERROR",
            OnControl(Concat(IdFrame(Http3FrameType.MaxPushId, 10), IdFrame(Http3FrameType.CancelPush, 3)), Http3ErrorCode.IdError));

        c.Must(Rfc, "7.2.3", "CANCEL_PUSH for push id 5 with no MAX_PUSH_ID sent", "connection error H3_ID_ERROR",
            OnControl(IdFrame(Http3FrameType.CancelPush, 5), Http3ErrorCode.IdError));

        c.Must(Rfc, "7.2.7", "MAX_PUSH_ID 10, then MAX_PUSH_ID 5", "connection error H3_ID_ERROR",
            OnControl(Concat(IdFrame(Http3FrameType.MaxPushId, 10), IdFrame(Http3FrameType.MaxPushId, 5)), Http3ErrorCode.IdError));
    }

    private static void AddReservedTypes(CaseCatalog c)
    {
        var http2Types = new[] { (0x02L, "PRIORITY", 5), (0x06L, "PING", 8), (0x08L, "WINDOW_UPDATE", 4), (0x09L, "CONTINUATION", 3) };
        foreach (var (type, name, length) in http2Types)
        {
            c.Must(Rfc, "7.2.8", $"the HTTP/2 frame type 0x{type:x} ({name}) on the control stream", "connection error H3_FRAME_UNEXPECTED",
                OnControl(Frame(type, Bytes(length)), Http3ErrorCode.FrameUnexpected));
        }

        foreach (var (type, name, length) in http2Types)
        {
            c.Must(Rfc, "7.2.8", $"the HTTP/2 frame type 0x{type:x} ({name}) on a request stream after HEADERS", "connection error H3_FRAME_UNEXPECTED",
                OnRequest(context => Concat(Headers(RequestSection(context)), Frame(type, Bytes(length))), Http3ErrorCode.FrameUnexpected));
        }

        c.Must(Rfc, "7.2.8", "a reserved (GREASE) frame type on the control stream", "ignored: a following request is answered",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.SendAsync(peer.ControlStreamId, Frame(Grease(4), Bytes(6, 0x67)));
                return await peer.ExpectIgnoredAsync("the reserved frame to have no meaning");
            }));

        c.Must(Rfc, "7.2.8", "a reserved (GREASE) frame type on a request stream before HEADERS", "ignored: the request is answered",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                var id = await peer.OpenRequestAsync(Concat(Frame(Grease(6), Bytes(5, 0x67)), Headers(RequestSection(peer.Context))));
                return await peer.ExpectResponseAsync(id, "a response: the reserved frame has no meaning");
            }));

        c.Must(Rfc, "9", "an unknown frame type 0x2a on the control stream", "ignored: a following request is answered",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.SendAsync(peer.ControlStreamId, Frame(0x2a, Bytes(4, 0x75)));
                return await peer.ExpectIgnoredAsync("an unknown frame type to be ignored");
            }));

        c.Must(Rfc, "9", "an unknown frame type 0x2a on a request stream between HEADERS and the end", "ignored: the request is answered",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                var id = await peer.OpenRequestAsync(Concat(Headers(RequestSection(peer.Context)), Frame(0x2a, Bytes(4, 0x75))));
                return await peer.ExpectResponseAsync(id, "a response: unknown frame types are ignored");
            }));
    }

    /// <summary>Sends <paramref name="bytes"/> on our control stream after its SETTINGS and expects a connection error.</summary>
    private static Func<CaseContext, Task<CaseVerdict>> OnControl(byte[] bytes, params Http3ErrorCode[] codes) =>
        Connected(async peer =>
        {
            peer.MarkTrigger();
            await peer.SendAsync(peer.ControlStreamId, bytes);
            return await peer.ExpectConnectionErrorAsync(codes);
        });

    /// <summary>Opens a request stream with <paramref name="bytes"/> and FIN, and expects a connection error.</summary>
    private static Func<CaseContext, Task<CaseVerdict>> OnRequest(Func<CaseContext, byte[]> bytes, params Http3ErrorCode[] codes) =>
        Connected(async peer =>
        {
            peer.MarkTrigger();
            await peer.OpenRequestAsync(bytes(peer.Context));
            return await peer.ExpectConnectionErrorAsync(codes);
        });
}
