using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Conformance.Http3;

/// <summary>What HTTP/3 cases share: a connection per case, requests as plain QPACK literals, frames as bytes.</summary>
internal static class Http3CaseKit
{
    /// <summary>A case body on a fresh QUIC connection with no HTTP/3 stream of ours open yet (the server's SETTINGS awaited).</summary>
    public static Func<CaseContext, Task<CaseVerdict>> Raw(Func<RawHttp3Peer, Task<CaseVerdict>> body) => async context =>
    {
        await using var peer = await RawHttp3Peer.ConnectAsync(context);
        try
        {
            await peer.WaitForServerSettingsAsync();
            return await body(peer);
        }
        catch (Http3CaseSkippedException skipped)
        {
            return context.Skip(skipped.Message);
        }
    };

    /// <summary>A case body after our control stream opened with SETTINGS and the server's SETTINGS arrived.</summary>
    public static Func<CaseContext, Task<CaseVerdict>> Connected(Func<RawHttp3Peer, Task<CaseVerdict>> body, params Http3Setting[] settings) =>
        Raw(async peer =>
        {
            await peer.StartAsync(settings);
            return await body(peer);
        });

    /// <summary>A GET (or <paramref name="method"/>) for the target's path: the four request pseudo-header fields.</summary>
    public static List<HeaderField> Request(CaseContext context, string method = "GET") =>
    [
        new(":method", method),
        new(":scheme", "https"),
        new(":path", context.Target.Path),
        new(":authority", context.Target.Authority),
    ];

    /// <summary>The request fields with <paramref name="change"/> applied, as one plain QPACK field section.</summary>
    public static byte[] RequestSection(CaseContext context, Action<List<HeaderField>>? change = null, string method = "GET")
    {
        var fields = Request(context, method);
        change?.Invoke(fields);
        return QpackSectionBuilder.Plain(fields);
    }

    /// <summary>Type (i) | Length (i) | Payload (RFC 9114 Section 7.1), any type with any payload.</summary>
    public static byte[] Frame(long type, params byte[] payload) => [.. RawHttp3Peer.Varint(type), .. RawHttp3Peer.Varint(payload.Length), .. payload];

    public static byte[] Headers(byte[] section) => Frame(Http3FrameType.Headers, section);

    public static byte[] Data(byte[] content) => Frame(Http3FrameType.Data, content);

    /// <summary>A SETTINGS frame with the pairs as given, duplicates and reserved identifiers included.</summary>
    public static byte[] Settings(params (long Id, long Value)[] settings) =>
        Frame(Http3FrameType.Settings, [.. settings.SelectMany(s => RawHttp3Peer.Varint(s.Id).Concat(RawHttp3Peer.Varint(s.Value)))]);

    /// <summary>A frame whose payload is one varint: GOAWAY, MAX_PUSH_ID, CANCEL_PUSH.</summary>
    public static byte[] IdFrame(long type, long id) => Frame(type, RawHttp3Peer.Varint(id));

    public static byte[] Bytes(int count, byte value = 0) => Enumerable.Repeat(value, count).ToArray();

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>The reserved (GREASE) value 0x1f * N + 0x21 (RFC 9114 Sections 6.2.3, 7.2.4.1, 7.2.8).</summary>
    public static long Grease(long n) => (0x1f * n) + 0x21;
}
