using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using static Hxi.Net.Conformance.Http2.Http2CaseKit;

namespace Hxi.Net.Conformance.Http2;

public static partial class Http2Cases
{
    /// <summary>Section 5.1 (stream states), 5.1.1 (identifiers), 5.1.2 (concurrency) and 5.3.2 (priority signals).</summary>
    private static void AddStreamCases(CaseCatalog c)
    {
        c.Must(Rfc, "5.1", "DATA on idle stream 1", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new DataFrame(1, Bytes(4), EndStream: true));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "5.1", "RST_STREAM on idle stream 1", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new RstStreamFrame(1, (uint)Http2ErrorCode.Cancel));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "5.1", "WINDOW_UPDATE on idle stream 1", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new WindowUpdateFrame(1, 100));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "5.1", "CONTINUATION on idle stream 1", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new ContinuationFrame(1, RequestBlock(peer.Context), EndHeaders: true));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "5.1", "PRIORITY on idle stream 3, then a request on stream 3", "PRIORITY is allowed on idle streams: a response",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new PriorityFrame(3, new Http2PriorityFields(false, 0, 15)), Headers(3, RequestBlock(peer.Context)));
                return await peer.ExpectResponseAsync(3);
            }));

        c.Must(Rfc, "5.1", "DATA on a half-closed (remote) stream (after END_STREAM, while the response is held by a zero window)", "stream error STREAM_CLOSED",
            HalfClosedRemote(async (peer, stream) =>
            {
                await peer.SendTriggerAsync(new DataFrame(stream, Bytes(4), EndStream: false));
                return await peer.ExpectStreamErrorAsync(stream, Http2ErrorCode.StreamClosed);
            }));

        c.Must(Rfc, "5.1", "HEADERS (not trailers) on a half-closed (remote) stream", "stream error STREAM_CLOSED",
            HalfClosedRemote(async (peer, stream) =>
            {
                await peer.SendTriggerAsync(Headers(stream, RequestBlock(peer.Context)));
                return await peer.ExpectStreamErrorAsync(stream, Http2ErrorCode.StreamClosed);
            }));

        c.Must(Rfc, "5.1", "WINDOW_UPDATE on a half-closed (remote) stream", "allowed: no error, the response continues",
            HalfClosedRemote(async (peer, stream) =>
            {
                await peer.SendTriggerAsync(new WindowUpdateFrame(stream, 1));
                return await peer.ExpectConnectionAliveAsync("that WINDOW_UPDATE be accepted on a half-closed (remote) stream");
            }));

        c.Must(Rfc, "5.1", "RST_STREAM CANCEL on a half-closed (remote) stream", "allowed: the stream closes, the connection stays",
            HalfClosedRemote(async (peer, stream) =>
            {
                await peer.SendTriggerAsync(new RstStreamFrame(stream, (uint)Http2ErrorCode.Cancel));
                return await peer.ExpectConnectionAliveAsync("that RST_STREAM be accepted on a half-closed (remote) stream");
            }));

        c.Must(Rfc, "5.1.1", "a request on even-numbered stream 2", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(2, RequestBlock(peer.Context)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "5.1.1", "a request on stream 5, then one on stream 3", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(5, RequestBlock(peer.Context)));
                await peer.SendTriggerAsync(Headers(3, RequestBlock(peer.Context)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "5.1.1", "a second request on stream 1 after the first was answered", "connection error PROTOCOL_ERROR (or STREAM_CLOSED)",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context)));
                if (await peer.ExpectResponseAsync(1) is { Outcome: not CaseOutcome.Passed } first)
                {
                    return peer.Context.Skip($"the first request was not answered: {first.Detail}");
                }

                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context)));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError, Http2ErrorCode.StreamClosed);
            }));

        c.Must(Rfc, "5.1.2", "one request more than the server's SETTINGS_MAX_CONCURRENT_STREAMS, all left open", "stream error PROTOCOL_ERROR or REFUSED_STREAM",
            Connected(async peer =>
            {
                if (ServerSetting(peer, Http2SettingId.MaxConcurrentStreams) is not { } limit || limit > 1000)
                {
                    return peer.Context.Skip("the server announces no SETTINGS_MAX_CONCURRENT_STREAMS of 1000 or less");
                }

                var frames = new List<Http2Frame>();
                for (var i = 0; i < limit; i++)
                {
                    frames.Add(Headers(1 + (2 * i), RequestBlock(peer.Context, method: "POST"), endStream: false));
                }

                await peer.SendAsync([.. frames]);
                var extra = 1 + (2 * (int)limit);
                await peer.SendTriggerAsync(Headers(extra, RequestBlock(peer.Context, method: "POST"), endStream: false));
                return await peer.ExpectStreamErrorAsync(extra, Http2ErrorCode.ProtocolError, Http2ErrorCode.RefusedStream);
            }));

        c.Should(Rfc, "5.3.2", "HEADERS whose RFC 7540 priority makes stream 1 depend on itself", "RFC 9113 dropped that error: a response",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(new HeadersFrame(1, RequestBlock(peer.Context), EndStream: true, EndHeaders: true, new Http2PriorityFields(false, 1, 15)));
                return await peer.ExpectResponseAsync(1);
            }));
    }

    /// <summary>
    /// A case body on stream 1 held in "half-closed (remote)" at the server: our window is 0, so after the request's
    /// END_STREAM the server has sent its response HEADERS but cannot send the body. Skips if the response has no body.
    /// </summary>
    private static Func<CaseContext, Task<CaseVerdict>> HalfClosedRemote(Func<RawHttp2Peer, int, Task<CaseVerdict>> body) =>
        Connected(async peer =>
        {
            await peer.SendAsync(Headers(1, RequestBlock(peer.Context)));
            await foreach (var seen in peer.WatchAsync(probe: null))
            {
                switch (seen)
                {
                    case { Frame: HeadersFrame { StreamId: 1, EndStream: true } }:
                        return peer.Context.Skip("the response has no body, so the stream cannot be held half-closed");
                    case { Frame: HeadersFrame { StreamId: 1 } }:
                        return await body(peer, 1);
                    case { IsClosed: true } or { Frame: GoAwayFrame } or { Frame: RstStreamFrame { StreamId: 1 } }:
                        return peer.Context.Fail("the request was not answered with a response (see frames)");
                }
            }

            return peer.Context.Fail("no response HEADERS to a plain GET with a zero flow-control window");
        }, Setting(Http2SettingId.InitialWindowSize, 0));
}
