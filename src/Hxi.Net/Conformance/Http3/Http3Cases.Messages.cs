using Hxi.Protocols.Http3;
using Hxi.Protocols.Primitives;
using static Hxi.Net.Conformance.Http3.Http3CaseKit;

namespace Hxi.Net.Conformance.Http3;

public static partial class Http3Cases
{
    /// <summary>Section 4: frame sequences on a request stream, malformed requests, pseudo-header fields, CONNECT; Section 8 error codes.</summary>
    private static void AddMessageCases(CaseCatalog c)
    {
        AddSequenceRules(c);
        AddContentLengthRules(c);
        AddFieldRules(c);
        AddPseudoHeaderRules(c);
    }

    private static void AddSequenceRules(CaseCatalog c)
    {
        c.Must(Rfc, "4.1", "DATA before HEADERS on a request stream", "connection error H3_FRAME_UNEXPECTED",
            OnRequest(context => Concat(Data(Bytes(4, 0x61)), Headers(RequestSection(context, method: "POST"))), Http3ErrorCode.FrameUnexpected));

        c.Must(Rfc, "4.1", "HEADERS, DATA, trailing HEADERS, then another HEADERS", "connection error H3_FRAME_UNEXPECTED",
            OnRequest(context => Concat(
                Headers(RequestSection(context, method: "POST")), Data(Bytes(4, 0x61)),
                Headers(QpackSectionBuilder.Plain([new("x-trailer", "1")])), Headers(QpackSectionBuilder.Plain([new("x-more", "1")]))),
                Http3ErrorCode.FrameUnexpected));

        c.Must(Rfc, "4.1", "HEADERS, trailing HEADERS, then DATA", "connection error H3_FRAME_UNEXPECTED",
            OnRequest(context => Concat(
                Headers(RequestSection(context, method: "POST")), Headers(QpackSectionBuilder.Plain([new("x-trailer", "1")])), Data(Bytes(4, 0x61))),
                Http3ErrorCode.FrameUnexpected));

        c.Must(Rfc, "8", "a request reset (RESET_STREAM) with an unknown error code 0x1234", "treated as H3_NO_ERROR: a following request is answered",
            Connected(async peer =>
            {
                var id = await peer.OpenRequestAsync(Headers(RequestSection(peer.Context, method: "POST")), fin: false);
                peer.MarkTrigger();
                await peer.ResetAsync(id, 0x1234);
                return await peer.ExpectIgnoredAsync("the unknown error code to mean no more than H3_NO_ERROR");
            }));
    }

    private static void AddContentLengthRules(CaseCatalog c)
    {
        c.Must(Rfc, "4.1.2", "content-length: 10 with 4 bytes of DATA", "malformed: stream error H3_MESSAGE_ERROR",
            ContentLength("10", [4]));

        c.Must(Rfc, "4.1.2", "content-length: 2 with 4 bytes of DATA", "malformed: stream error H3_MESSAGE_ERROR",
            ContentLength("2", [4]));

        c.Must(Rfc, "4.1.2", "content-length: 6 with DATA frames of 4 and 4 bytes", "malformed: stream error H3_MESSAGE_ERROR",
            ContentLength("6", [4, 4]));

        c.Must(Rfc, "4.1.2", "content-length: 4 with DATA frames of 2 and 2 bytes", "a well-formed request: a response",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                var id = await peer.OpenRequestAsync(Concat(
                    Headers(RequestSection(peer.Context, f => f.Add(new("content-length", "4")), method: "POST")), Data(Bytes(2, 0x61)), Data(Bytes(2, 0x62))));
                return await peer.ExpectResponseAsync(id);
            }));
    }

    private static void AddFieldRules(CaseCatalog c)
    {
        c.Must(Rfc, "4.2", "a field name with uppercase letters (X-Upper)", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.Add(new("X-Upper", "1"))));

        foreach (var (name, value) in new[] { ("connection", "keep-alive"), ("keep-alive", "timeout=5"), ("proxy-connection", "keep-alive"), ("transfer-encoding", "chunked"), ("upgrade", "websocket") })
        {
            c.Must(Rfc, "4.2", $"the connection-specific field {name}: {value}", "malformed: stream error H3_MESSAGE_ERROR",
                Malformed(f => f.Add(new(name, value))));
        }

        c.Must(Rfc, "4.2", "te: gzip (TE may carry only \"trailers\")", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.Add(new("te", "gzip"))));

        c.Must(Rfc, "4.2", "te: trailers", "a well-formed request: a response",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                var id = await peer.OpenRequestAsync(Headers(RequestSection(peer.Context, f => f.Add(new("te", "trailers")))));
                return await peer.ExpectResponseAsync(id);
            }));

        c.Must(Rfc, "4.1.2", "a field name with a space (\"x bad\")", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.Add(new("x bad", "1"))));

        c.Must(Rfc, "4.1.2", "a field value with a NUL byte", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.Add(new("x-value", "a\0b"))));

        c.Must(Rfc, "4.1.2", "a field value with CR LF", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.Add(new("x-value", "a\r\nx-injected: 1"))));
    }

    private static void AddPseudoHeaderRules(CaseCatalog c)
    {
        c.Must(Rfc, "4.3", "an undefined pseudo-header field :foo", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.Add(new(":foo", "bar"))));

        c.Must(Rfc, "4.3", "the response pseudo-header field :status in a request", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.Add(new(":status", "200"))));

        c.Must(Rfc, "4.3", "a pseudo-header field after a regular field", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.Insert(3, new("x-early", "1"))));

        c.Must(Rfc, "4.3", "trailers that carry a pseudo-header field (:method)", "malformed: stream error H3_MESSAGE_ERROR",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                var id = await peer.OpenRequestAsync(Concat(
                    Headers(RequestSection(peer.Context, method: "POST")), Data(Bytes(4, 0x61)),
                    Headers(QpackSectionBuilder.Plain([new(":method", "POST"), new("x-trailer", "1")]))));
                return await peer.ExpectMalformedAsync(id);
            }));

        foreach (var name in new[] { ":method", ":scheme", ":path" })
        {
            c.Must(Rfc, "4.3.1", $"a request without {name}", "malformed: stream error H3_MESSAGE_ERROR",
                Malformed(f => f.RemoveAll(x => x.Name == name)));
        }

        c.Must(Rfc, "4.3.1", "an empty :path", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => Replace(f, ":path", "")));

        c.Must(Rfc, "4.3.1", "two :method fields", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.Insert(1, new(":method", "HEAD"))));

        c.Must(Rfc, "4.3.1", "two :path fields", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.Insert(1, new(":path", "/other"))));

        c.Must(Rfc, "4.3.1", "neither :authority nor host (https)", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.RemoveAll(x => x.Name == ":authority")));

        c.Must(Rfc, "4.3.1", "an empty :authority", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => Replace(f, ":authority", "")));

        c.Must(Rfc, "4.3.1", ":authority and a host field with different values", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => f.Add(new("host", "other.example"))));

        c.Must(Rfc, "4.4", "CONNECT with :scheme and :path", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f => Replace(f, ":method", "CONNECT")));

        c.Must(Rfc, "4.4", "CONNECT without :authority", "malformed: stream error H3_MESSAGE_ERROR",
            Malformed(f =>
            {
                Replace(f, ":method", "CONNECT");
                f.RemoveAll(x => x.Name is ":scheme" or ":path" or ":authority");
            }));
    }

    /// <summary>A request whose fields <paramref name="change"/> breaks, with FIN; a stream error H3_MESSAGE_ERROR (or a 4xx) is expected.</summary>
    private static Func<CaseContext, Task<CaseVerdict>> Malformed(Action<List<HeaderField>> change) =>
        Connected(async peer =>
        {
            peer.MarkTrigger();
            var id = await peer.OpenRequestAsync(Headers(RequestSection(peer.Context, change)));
            return await peer.ExpectMalformedAsync(id);
        });

    private static Func<CaseContext, Task<CaseVerdict>> ContentLength(string declared, int[] dataLengths) =>
        Connected(async peer =>
        {
            peer.MarkTrigger();
            var id = await peer.OpenRequestAsync(Concat(
                [Headers(RequestSection(peer.Context, f => f.Add(new("content-length", declared)), method: "POST")), .. dataLengths.Select(n => Data(Bytes(n, 0x61)))]));
            return await peer.ExpectMalformedAsync(id);
        });

    private static void Replace(List<HeaderField> fields, string name, string value)
    {
        var index = fields.FindIndex(f => f.Name == name);
        fields[index] = new HeaderField(name, value);
    }
}
