using System.Text;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using static Hxi.Net.Conformance.Http2.Http2CaseKit;

namespace Hxi.Net.Conformance.Http2;

public static partial class Http2Cases
{
    private const int Rfc = 9113;

    /// <summary>Sections 3.4 (preface), 4 (frames, sizes, field blocks), 5.4 (error handling) and 5.5 (extensions).</summary>
    private static void AddConnectionCases(CaseCatalog c)
    {
        c.Must(Rfc, "3.4", "an invalid connection preface (\"PRI * HTTP/2.0\\r\\n\\r\\nXX\\r\\n\\r\\n\")", "connection error PROTOCOL_ERROR",
            Raw(async peer =>
            {
                await peer.SendTriggerBytesAsync(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n"), "invalid connection preface");
                await peer.SendAsync(new SettingsFrame(false, []));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "3.4", "the preface followed by a PING instead of SETTINGS", "connection error PROTOCOL_ERROR",
            Raw(async peer =>
            {
                await peer.SendPrefaceAsync();
                await peer.SendTriggerAsync(new PingFrame(false, 1));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "3.4", "the preface and SETTINGS, then waits", "the server's first frame is SETTINGS",
            Raw(async peer =>
            {
                await peer.SendPrefaceAsync();
                peer.Context.MarkTrigger();
                await peer.SendAsync(new SettingsFrame(false, []));
                var first = await peer.NextAsync(peer.Context.Target.CaseTimeout);
                return first switch
                {
                    { Frame: SettingsFrame { Ack: false } } => peer.Context.Pass(),
                    null => peer.Context.Fail("the server sent nothing; its connection preface is a SETTINGS frame"),
                    { IsClosed: true } => peer.Context.Fail($"{first.Closed}; the server's first frame must be SETTINGS"),
                    _ => peer.Context.Fail($"the server's first frame is {Http2FrameNames.Name(first.Frame!.TypeCode)}, not SETTINGS"),
                };
            }));

        c.Must(Rfc, "4.1", "a frame of undefined type 0xee on stream 0", "the frame is ignored",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame(0xee, 0, 0, Bytes(8, 0x61)));
                return await peer.ExpectConnectionAliveAsync("that unknown frame types be ignored");
            }));

        c.Must(Rfc, "4.1", "a PING with every undefined flag set (0xfe)", "the flags are ignored: PING ACK",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Ping, 0xfe, 0, Bytes(8, 0x01)));
                return await peer.ExpectConnectionAliveAsync("that unused flags be ignored");
            }));

        c.Must(Rfc, "4.1", "a request whose frame header has the reserved bit set", "the bit is ignored: a response",
            Connected(async peer =>
            {
                var headers = Headers(1, RequestBlock(peer.Context));
                var bytes = new byte[Http2FrameWriter.GetByteCount(headers)];
                Http2FrameWriter.Write(headers, bytes);
                bytes[5] |= 0x80;
                await peer.SendTriggerBytesAsync(bytes, "HEADERS frame <stream_id=1, reserved bit set>");
                return await peer.ExpectResponseAsync(1, "a response: the reserved bit must be ignored");
            }));

        c.Must(Rfc, "4.2", "DATA one byte larger than the server's SETTINGS_MAX_FRAME_SIZE", "FRAME_SIZE_ERROR (stream or connection error)",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false));
                await peer.SendTriggerAsync(new DataFrame(1, Bytes(ServerMaxFrameSize(peer) + 1), EndStream: true));
                return await peer.ExpectStreamErrorAsync(1, Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "4.2", "HEADERS one byte larger than the server's SETTINGS_MAX_FRAME_SIZE", "connection error FRAME_SIZE_ERROR",
            Connected(async peer =>
            {
                var size = ServerMaxFrameSize(peer) + 1;
                var block = RequestBlock(peer.Context, f => f.Add(new("x-padding", new string('a', size))));
                await peer.SendTriggerAsync(Headers(1, block[..size]));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.FrameSizeError);
            }));

        c.Must(Rfc, "4.3", "HEADERS whose field block ends in the middle of a string", "connection error COMPRESSION_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(1, new HpackBlockBuilder().Raw(RequestBlock(peer.Context)).Raw(0x00, 0x0a, 0x78).ToArray()));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.CompressionError);
            }));

        c.Must(Rfc, "4.3", "a PRIORITY frame between HEADERS and its CONTINUATION", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context);
                await peer.SendTriggerAsync(
                    Headers(1, block[..4], endHeaders: false),
                    new PriorityFrame(1, new Http2PriorityFields(false, 0, 15)),
                    new ContinuationFrame(1, block[4..], EndHeaders: true));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "5.4.1", "a PING on stream 1 (a connection error), then waits", "GOAWAY, then the server closes the TCP connection",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Frame((byte)Http2FrameType.Ping, 0, 1, Bytes(8)));
                var sawGoAway = false;
                await foreach (var seen in peer.WatchAsync(probe: null))
                {
                    if (seen.IsClosed)
                    {
                        return sawGoAway ? peer.Context.Pass() : peer.Context.Pass($"closed without GOAWAY ({seen.Closed})");
                    }

                    sawGoAway |= seen.Frame is GoAwayFrame;
                }

                return peer.Context.Fail(sawGoAway
                    ? "GOAWAY, but the connection stayed open; after a GOAWAY for an error the endpoint MUST close it"
                    : "no GOAWAY and no close; the RFC requires a connection error");
            }));

        c.Must(Rfc, "5.5", "an unknown extension frame (0xee) between HEADERS and CONTINUATION", "connection error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                var block = RequestBlock(peer.Context);
                await peer.SendTriggerAsync(
                    Headers(1, block[..4], endHeaders: false),
                    Frame(0xee, 0, 1, Bytes(4)),
                    new ContinuationFrame(1, block[4..], EndHeaders: true));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "5.5", "an unknown extension frame (0xee) on an open stream", "the frame is ignored: a response",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false));
                await peer.SendTriggerAsync(Frame(0xee, 0xff, 1, Bytes(16)), new DataFrame(1, Bytes(0), EndStream: true));
                return await peer.ExpectResponseAsync(1, "that the unknown frame be ignored and the request answered");
            }));
    }
}
