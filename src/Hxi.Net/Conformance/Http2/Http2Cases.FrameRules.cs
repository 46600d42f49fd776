using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using static Hxi.Net.Conformance.Http2.Http2CaseKit;

namespace Hxi.Net.Conformance.Http2;

public static partial class Http2Cases
{
    private const byte PriorityFlag = 0x20;

    /// <summary>
    /// Frame format rules for every frame type (Sections 3.4, 4.1, 4.2, 4.3, 6.1 to 6.10): lengths a type does not
    /// allow, padding longer than the payload, frames over SETTINGS_MAX_FRAME_SIZE, undefined flags, frames that
    /// break a field block. Added after the first catalog, so the ids of the earlier cases stay as they were.
    /// </summary>
    private static void AddFrameFormatCases(CaseCatalog c)
    {
        AddPrefaceAndSizeCases(c);
        AddFieldBlockContiguityCases(c);
        AddPaddingCases(c);
        AddFixedLengthCases(c);
    }

    private static void AddPrefaceAndSizeCases(CaseCatalog c)
    {
        c.Must(Rfc, "3.4", "the preface followed by a request (HEADERS) instead of SETTINGS", "connection error PROTOCOL_ERROR",
            Raw(async peer =>
            {
                await peer.SendPrefaceAsync();
                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "4.1", "a request in HEADERS with every undefined flag set (0xd2)", "the flags are ignored: a response",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Headers, 0xd2 | EndStreamFlag | EndHeadersFlag, 1, RequestBlock(peer.Context)));
                return await peer.ExpectResponseAsync(1, "a response: undefined flags must be ignored");
            }));

        c.Must(Rfc, "4.1", "a request body in DATA with every undefined flag set (0xf6)", "the flags are ignored: a response",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false), Frame((byte)Http2FrameType.Data, 0xf6 | EndStreamFlag, 1, Bytes(4, 0x61)));
                return await peer.ExpectResponseAsync(1, "a response: undefined flags must be ignored");
            }));

        c.Must(Rfc, "4.2", "SETTINGS larger than the server's SETTINGS_MAX_FRAME_SIZE (unknown settings)", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                var entries = (ServerMaxFrameSize(peer) / 6) + 1;
                var settings = Enumerable.Repeat(Setting((Http2SettingId)0xfafa, 1), entries).ToList();
                await peer.SendTriggerAsync(new SettingsFrame(false, settings));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "4.2", "CONTINUATION larger than the server's SETTINGS_MAX_FRAME_SIZE", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                var size = ServerMaxFrameSize(peer);
                var block = RequestBlock(peer.Context, f => f.Add(new("x-padding", new string('a', size))));
                await peer.SendTriggerAsync(Headers(1, block[..4], endHeaders: false), new ContinuationFrame(1, block[4..], EndHeaders: true));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "4.2", "GOAWAY of 4 bytes (too short for its mandatory fields)", "connection error FRAME_SIZE_ERROR (a close also passes)",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.GoAway, 0, 0, UInt32(0)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));
    }

    private static void AddFieldBlockContiguityCases(CaseCatalog c)
    {
        // Section 4.3: a field block is a contiguous sequence of frames, with nothing of another type or stream between.
        var interleaved = new (string What, Func<Http2Frame> Frame)[]
        {
            ("a WINDOW_UPDATE on stream 0", () => new WindowUpdateFrame(0, 100)),
            ("an empty SETTINGS frame", () => new SettingsFrame(false, [])),
            ("RST_STREAM on the same stream", () => new RstStreamFrame(1, (uint)Http2ErrorCode.Cancel)),
        };
        foreach (var (what, frame) in interleaved)
        {
            c.Must(Rfc, "4.3", $"{what} between HEADERS and its CONTINUATION", "connection error PROTOCOL_ERROR",
                Connected(async peer =>
                {
                    var block = RequestBlock(peer.Context);
                    await peer.SendTriggerAsync(Headers(1, block[..4], endHeaders: false), frame(), new ContinuationFrame(1, block[4..], EndHeaders: true));
                    return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
                }));
        }

        c.Must(Rfc, "6.10", "CONTINUATION right after DATA on an open stream", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(
                    Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false),
                    new DataFrame(1, Bytes(4), EndStream: false),
                    new ContinuationFrame(1, HpackBlockBuilder.Plain([new("x-more", "1")]), EndHeaders: true));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.10", "trailers split into HEADERS and CONTINUATION", "a response",
            Connected(async peer =>
            {
                var trailers = HpackBlockBuilder.Plain([new("x-trailer", "1"), new("x-checksum", "abc")]);
                await peer.SendTriggerAsync(
                    Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false),
                    new DataFrame(1, Bytes(4, 0x61), EndStream: false),
                    Headers(1, trailers[..5], endStream: true, endHeaders: false),
                    new ContinuationFrame(1, trailers[5..], EndHeaders: true));
                return await peer.ExpectResponseAsync(1);
            }));
    }

    private static void AddPaddingCases(CaseCatalog c)
    {
        c.Must(Rfc, "6.1", "padded DATA whose Pad Length (10) exceeds the payload length (6)", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false), Frame((byte)Http2FrameType.Data, Padded | EndStreamFlag, 1, [10, 0, 0, 0, 0, 0]));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.2", "padded HEADERS with the PRIORITY flag whose Pad Length is the whole payload length", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context);
                var length = 1 + 5 + block.Length;
                if (length > 255)
                {
                    return peer.Context.Skip($"the request's field block is too long ({block.Length} bytes) for a one-byte Pad Length to cover it");
                }

                byte[] payload = [(byte)length, 0, 0, 0, 0, 15, .. block];
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Headers, Padded | PriorityFlag | EndStreamFlag | EndHeadersFlag, 1, payload));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        // Sections 4.2 (too small for the Pad Length field) and 6.2 (padding errors) both apply; HEADERS changes the
        // connection's decoding state, so it is a connection error either way.
        c.Must(Rfc, "6.2", "padded HEADERS with an empty payload (no Pad Length byte)", "connection error FRAME_SIZE_ERROR or PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Headers, Padded | EndStreamFlag | EndHeadersFlag, 1));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError, Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.6", "padded PUSH_PROMISE whose Pad Length exceeds the payload", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                byte[] payload = [200, .. UInt32(2), .. RequestBlock(peer.Context)];
                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false), Frame((byte)Http2FrameType.PushPromise, Padded | EndHeadersFlag, 1, payload));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "6.6", "PUSH_PROMISE on stream 0", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.PushPromise, EndHeadersFlag, 0, [.. UInt32(2), .. RequestBlock(peer.Context)]));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));
    }

    private static void AddFixedLengthCases(CaseCatalog c)
    {
        c.Must(Rfc, "6.3", "PRIORITY of 6 bytes on idle stream 1", "stream error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Priority, 0, 1, 0, 0, 0, 0, 15, 0));
                return await peer.ExpectStreamErrorAsync(1, Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "6.3", "PRIORITY of 4 bytes on an open stream", "stream error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false), Frame((byte)Http2FrameType.Priority, 0, 1, 0, 0, 0, 0));
                return await peer.ExpectStreamErrorAsync(1, Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "6.4", "RST_STREAM of 5 bytes on an open stream", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false), Frame((byte)Http2FrameType.RstStream, 0, 1, 0, 0, 0, 8, 0));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "6.7", "PING of 9 bytes", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Ping, 0, 0, Bytes(9)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "6.7", "PING ACK of 7 bytes", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Ping, AckFlag, 0, Bytes(7)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "6.9", "WINDOW_UPDATE of 5 bytes on an open stream", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false), Frame((byte)Http2FrameType.WindowUpdate, 0, 1, 0, 0, 0, 1, 0));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));
    }
}
