using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Primitives;
using static Hxi.Net.Conformance.Http2.Http2CaseKit;

namespace Hxi.Net.Conformance.Http2;

public static partial class Http2Cases
{
    /// <summary>More malformed requests (Section 8): content-length, trailers, field names and values, pseudo-header fields, CONNECT (8.5).</summary>
    private static void AddMoreMessageCases(CaseCatalog c)
    {
        c.Must(Rfc, "8.1.1", "content-length: 0 with 1 byte of DATA", "malformed: stream error PROTOCOL_ERROR",
            ContentLength(0, [1]));

        c.Must(Rfc, "8.1", "trailers with an uppercase field name (X-Trailer)", "malformed: stream error PROTOCOL_ERROR",
            MalformedTrailers(new("X-Trailer", "1")));
        c.Must(Rfc, "8.1", "trailers with the connection-specific field \"connection: close\"", "malformed: stream error PROTOCOL_ERROR",
            MalformedTrailers(new("connection", "close")));
        c.Must(Rfc, "8.1", "trailers that carry :path", "malformed: stream error PROTOCOL_ERROR",
            MalformedTrailers(new(":path", "/")));

        c.Must(Rfc, "8.2.1", "a field name with NUL", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x-h\0xi", "1"))));
        c.Must(Rfc, "8.2.1", "a field name with a tab", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x-h\txi", "1"))));
        c.Must(Rfc, "8.2.1", "a field value ending with a space", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x-hxi", "a "))));
        c.Must(Rfc, "8.2.1", "a field value starting with a tab", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(new("x-hxi", "\ta"))));

        c.Must(Rfc, "8.3.1", "a request with :authority twice", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f => f.Add(f.First(field => field.Name == ":authority"))));

        c.Must(Rfc, "8.5", "CONNECT with :scheme but no :path", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f =>
            {
                f[0] = new(":method", "CONNECT");
                f.RemoveAll(field => field.Name == ":path");
            }));

        c.Must(Rfc, "8.5", "CONNECT with :path but no :scheme", "malformed: stream error PROTOCOL_ERROR",
            Malformed(f =>
            {
                f[0] = new(":method", "CONNECT");
                f.RemoveAll(field => field.Name == ":scheme");
            }));
    }

    /// <summary>A POST with 4 bytes of body, then trailers that hold <paramref name="field"/>; the RFC makes the request malformed.</summary>
    private static Func<CaseContext, Task<CaseVerdict>> MalformedTrailers(HeaderField field) =>
        Connected(async peer =>
        {
            await peer.SendTriggerAsync(
                Headers(1, RequestBlock(peer.Context, method: "POST"), endStream: false),
                new DataFrame(1, Bytes(4), EndStream: false),
                Headers(1, HpackBlockBuilder.Plain([new("x-trailer", "1"), field])));
            return await peer.ExpectMalformedAsync(1);
        });
}
