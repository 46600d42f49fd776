using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Conformance.Http2;

/// <summary>What HTTP/2 cases share: a connection per case, requests in plain HPACK, frames by type.</summary>
internal static class Http2CaseKit
{
    /// <summary>The server's SETTINGS_MAX_FRAME_SIZE default (RFC 9113 Section 6.5.2).</summary>
    public const int DefaultMaxFrameSize = 16_384;

    /// <summary>A case body on a fresh connection, after nothing: for cases about the preface itself.</summary>
    public static Func<CaseContext, Task<CaseVerdict>> Raw(Func<RawHttp2Peer, Task<CaseVerdict>> body) => async context =>
    {
        await using var peer = await RawHttp2Peer.ConnectAsync(context);
        return await body(peer);
    };

    /// <summary>A case body on a fresh connection after the preface and SETTINGS exchange.</summary>
    public static Func<CaseContext, Task<CaseVerdict>> Connected(Func<RawHttp2Peer, Task<CaseVerdict>> body, params Http2Setting[] settings) =>
        Raw(async peer =>
        {
            await peer.HandshakeAsync(settings);
            return await body(peer);
        });

    /// <summary>A GET for the target's path: the four request pseudo-header fields.</summary>
    public static List<HeaderField> Request(CaseContext context, string method = "GET") =>
    [
        new(":method", method),
        new(":scheme", context.Target.Scheme),
        new(":path", context.Target.Path),
        new(":authority", context.Target.Authority),
    ];

    /// <summary>The request fields with <paramref name="change"/> applied, as one plain HPACK block.</summary>
    public static byte[] RequestBlock(CaseContext context, Action<List<HeaderField>>? change = null, string method = "GET")
    {
        var fields = Request(context, method);
        change?.Invoke(fields);
        return HpackBlockBuilder.Plain(fields);
    }

    public static HeadersFrame Headers(int streamId, byte[] block, bool endStream = true, bool endHeaders = true) =>
        new(streamId, block, endStream, endHeaders);

    /// <summary>Any frame byte for byte, for types, flags and lengths the records would not produce.</summary>
    public static UnknownFrame Frame(byte type, byte flags, int streamId, params byte[] payload) => new(type, flags, streamId, payload);

    public static byte[] Bytes(int count, byte value = 0) => Enumerable.Repeat(value, count).ToArray();

    /// <summary>A 31-bit value in network order, for hand-built payloads.</summary>
    public static byte[] UInt32(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>The server's SETTINGS_MAX_FRAME_SIZE as its first SETTINGS said, or the default.</summary>
    public static int ServerMaxFrameSize(RawHttp2Peer peer) => (int)(ServerSetting(peer, Http2SettingId.MaxFrameSize) ?? DefaultMaxFrameSize);

    public static uint? ServerSetting(RawHttp2Peer peer, Http2SettingId id)
    {
        uint? value = null;
        foreach (var setting in peer.ServerSettings)
        {
            if (setting.Id == id)
            {
                value = setting.Value;
            }
        }

        return value;
    }

    public static Http2Setting Setting(Http2SettingId id, uint value) => new(id, value);
}
