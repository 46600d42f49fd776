using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Primitives;
using static Hxi.Net.Conformance.Http2.Http2CaseKit;

namespace Hxi.Net.Conformance.Http2;

public static partial class Http2Cases
{
    /// <summary>Section 8: message framing, field validity, connection-specific fields, pseudo-header fields, CONNECT.</summary>
    private static void AddMessageCases(CaseCatalog c)
    {
        AddFramingRules(c);
        AddFieldValidity(c);
        AddPseudoHeaderRules(c);
    }

    private static void AddFramingRules(CaseCatalog c)
    {
        c.Must(Rfc, "8.1", "a second HEADERS (trailers) without END_STREAM", "malformed: stream error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false), new DataFrame(1, Bytes(4), EndStream: false));
                await peer.SendTriggerAsync(Headers(1, HpackBlockBuilder.Plain([new("x-trailer", "1")]), endStream: false));
                return await peer.ExpectStreamErrorAsync(1, Http2ErrorCode.ProtocolError);
            }));

        c.Must(Rfc, "8.1.1", "content-length: 1 with 4 bytes of DATA", "malformed: stream error PROTOCOL_ERROR",
            ContentLength(1, [4]));

        c.Must(Rfc, "8.1.1", "content-length: 8 with 4 bytes of DATA and END_STREAM", "malformed: stream error PROTOCOL_ERROR",
            ContentLength(8, [4]));

        c.Must(Rfc, "8.1.1", "content-length: 6 with DATA frames of 4 and 4 bytes", "malformed: stream error PROTOCOL_ERROR",
            ContentLength(6, [4, 4]));

        c.Must(Rfc, "8.1.1", "content-length: 4 with DATA frames of 2 and 2 bytes", "a well-formed request: a response",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(
                    Headers(1, RequestBlock(peer.Context, f => f.Add(new("content-length", "4")), method: "POST"), endStream: false),
                    new DataFrame(1, Bytes(2, 0x61), EndStream: false),
                    new DataFrame(1, Bytes(2, 0x62), EndStream: true));
                return await peer.ExpectResponseAsync(1);
            }));

        c.Must(Rfc, "8.1", "trailers that carry a pseudo-header field (:method)", "malformed: stream error PROTOCOL_ERROR",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false), new DataFrame(1, Bytes(4), EndStream: false));
                await peer.SendTriggerAsync(Headers(1, HpackBlockBuilder.Plain([new(":method", "POST"), new("x-trailer", "1")])));
                return await peer.ExpectStreamErrorAsync(1, Http2ErrorCode.ProtocolError);
            }));
    }

    private static void AddFieldValidity(CaseCatalog c)
    {
        c.Must(Rfc, "8.2", "a field name with uppercase letters (X-Hxi)", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("X-Hxi", "1"))));
        c.Must(Rfc, "8.2.1", "a field name with a space (\"x hxi\")", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x hxi", "1"))));
        c.Must(Rfc, "8.2.1", "a field name with a colon (\"x:hxi\")", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x:hxi", "1"))));
        c.Must(Rfc, "8.2.1", "a field name with byte 0x7f", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x-hxi\u007f", "1"))));
        c.Must(Rfc, "8.2.1", "a field name with byte 0xe9", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x-hx\u00e9", "1"))));
        c.Must(Rfc, "8.2.1", "a field value with NUL", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x-hxi", "a\0b"))));
        c.Must(Rfc, "8.2.1", "a field value with LF", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x-hxi", "a\nb"))));
        c.Must(Rfc, "8.2.1", "a field value with CR", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x-hxi", "a\rb"))));
        c.Must(Rfc, "8.2.1", "a field value starting with a space", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x-hxi", " a"))));
        c.Must(Rfc, "8.2.1", "a field value ending with a tab", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x-hxi", "a\t"))));

        foreach (var (name, value) in new[] { ("connection", "keep-alive"), ("proxy-connection", "keep-alive"), ("keep-alive", "timeout=5"), ("transfer-encoding", "chunked"), ("upgrade", "h2c") })
        {
            c.Must(Rfc, "8.2.2", $"the connection-specific field \"{name}: {value}\"", "malformed: stream error PROTOCOL_ERROR",
                Malformed(f => f.Add(new(name, value))));
        }

        c.Must(Rfc, "8.2.2", "\"te: gzip\" (TE may only say \"trailers\")", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("te", "gzip"))));

        c.Must(Rfc, "8.2.2", "\"te: trailers\"", "allowed: a response",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context, f => f.Add(new("te", "trailers")))));
                return await peer.ExpectResponseAsync(1);
            }));
    }

    private static void AddPseudoHeaderRules(CaseCatalog c)
    {
        c.Must(Rfc, "8.3", "an undefined pseudo-header field (:hxi)", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Insert(0, new(":hxi", "1"))));
        c.Must(Rfc, "8.3", "a response pseudo-header field (:status) in a request", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Insert(0, new(":status", "200"))));
        c.Must(Rfc, "8.3", "a pseudo-header field after a regular field", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Insert(3, new("x-hxi", "1"))));

        foreach (var name in new[] { ":method", ":scheme", ":path" })
        {
            c.Must(Rfc, "8.3.1", $"a request without {name}", "malformed: stream error PROTOCOL_ERROR",
                Malformed(f => f.RemoveAll(field => field.Name == name)));
        }

        foreach (var name in new[] { ":method", ":scheme", ":path" })
        {
            c.Must(Rfc, "8.3.1", $"a request with {name} twice", "malformed: stream error PROTOCOL_ERROR",
                Malformed(f => f.Insert(1, f.First(field => field.Name == name))));
        }

        c.Must(Rfc, "8.3.1", "an empty :path", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f[f.FindIndex(field => field.Name == ":path")] = new(":path", "")));

        c.Should(Rfc, "8.3.1", "a host field that differs from :authority", "malformed (SHOULD): stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("host", "other.invalid"))));

        c.Must(Rfc, "8.5", "CONNECT with :scheme and :path", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f[0] = new(":method", "CONNECT")));

        c.Must(Rfc, "8.5", "CONNECT without :authority", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f =>
            {
                f.Clear();
                f.Add(new(":method", "CONNECT"));
            }));
    }

    /// <summary>A request with <paramref name="change"/> applied to its fields; the RFC makes it malformed.</summary>
    private static Func<CaseContext, Task<CaseVerdict>> Malformed(Action<List<HeaderField>> change) =>
        Connected(async peer =>
        {
            await peer.SendTriggerAsync(Headers(1, RequestBlock(peer.Context, change)));
            return await peer.ExpectStreamErrorAsync(1, Http2ErrorCode.ProtocolError);
        });

    private static Func<CaseContext, Task<CaseVerdict>> ContentLength(int declared, int[] dataFrames) =>
        Connected(async peer =>
        {
            var frames = new List<Http2Frame>
            {
                Headers(1, RequestBlock(peer.Context, f => f.Add(new("content-length", declared.ToString(System.Globalization.CultureInfo.InvariantCulture))), method: "POST"), endStream: false),
            };
            for (var i = 0; i < dataFrames.Length; i++)
            {
                frames.Add(new DataFrame(1, Bytes(dataFrames[i], 0x61), EndStream: i == dataFrames.Length - 1));
            }

            await peer.SendTriggerAsync([.. frames]);
            return await peer.ExpectStreamErrorAsync(1, Http2ErrorCode.ProtocolError);
        });
}
