using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Primitives;
using static Hxi.Net.Conformance.Http3.Http3CaseKit;

namespace Hxi.Net.Conformance.Http3;

public static partial class Http3Cases
{
    private static readonly string[] ConnectionSpecific = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

    /// <summary>What the server itself must (not) send: its control stream and SETTINGS, its QPACK encoder stream, its response's fields.</summary>
    private static void AddServerOutputCases(CaseCatalog c)
    {
        c.Must(Rfc, "6.2.1", "nothing (reads the server's control stream)", "the server's control stream opens with SETTINGS",
            Raw(peer => Task.FromResult(peer.ServerFirstControlFrame is SettingsFrame
                ? peer.Context.Pass()
                : peer.Context.Fail($"the server's control stream opens with {peer.ServerFirstControlFrame?.TypeName}; the RFC requires SETTINGS first"))));

        c.Must(Rfc, "7.2.4", "nothing (reads the server's SETTINGS)", "no setting identifier appears twice",
            Raw(peer =>
            {
                var twice = peer.ServerSettings!.Settings.GroupBy(s => s.Id).Where(g => g.Count() > 1).Select(g => Http3SettingId.Name(g.Key)).ToList();
                return Task.FromResult(twice.Count == 0
                    ? peer.Context.Pass()
                    : peer.Context.Fail($"the server's SETTINGS name {string.Join(", ", twice)} more than once; the RFC forbids it"));
            }));

        c.Must(Rfc, "7.2.4.1", "nothing (reads the server's SETTINGS)", "no HTTP/2 setting identifier (0x02 to 0x05) is sent",
            Raw(peer =>
            {
                var http2 = peer.ServerSettings!.Settings.Where(s => s.Id is >= 0x02 and <= 0x05).Select(s => $"0x{s.Id:x}").ToList();
                return Task.FromResult(http2.Count == 0
                    ? peer.Context.Pass()
                    : peer.Context.Fail($"the server's SETTINGS carry the HTTP/2 identifier {string.Join(", ", http2)}; the RFC forbids sending them"));
            }));

        c.Must(Rfc, "4.3.2", "a GET", "the response carries :status",
            ResponseCheck(fields => fields.Any(f => f.Name == ":status") ? null : "the response has no :status"));

        c.Must(Rfc, "4.3", "a GET", "the response's pseudo-header fields are :status only, before every regular field",
            ResponseCheck(fields =>
            {
                var other = fields.FirstOrDefault(f => f.Name.StartsWith(':') && f.Name != ":status");
                if (other.Name is not null)
                {
                    return $"the response carries the pseudo-header field {other.Name}";
                }

                var firstRegular = fields.FindIndex(f => !f.Name.StartsWith(':'));
                var lastPseudo = fields.FindLastIndex(f => f.Name.StartsWith(':'));
                return firstRegular >= 0 && lastPseudo > firstRegular ? $"the response has {fields[lastPseudo].Name} after the regular field {fields[firstRegular].Name}" : null;
            }));

        c.Must(Rfc, "4.2", "a GET", "the response's field names are lowercase",
            ResponseCheck(fields => fields.FirstOrDefault(f => f.Name.Any(char.IsAsciiLetterUpper)) is { Name: not null } upper
                ? $"the response carries the field name '{upper.Name}' with uppercase letters" : null));

        c.Must(Rfc, "4.2", "a GET", "the response carries no connection-specific field",
            ResponseCheck(fields => fields.FirstOrDefault(f => ConnectionSpecific.Contains(f.Name.ToLowerInvariant())) is { Name: not null } bad
                ? $"the response carries the connection-specific field {bad.Name}: {bad.Value}" : null));

        c.Must(Qpack, "3.2.3", "a GET while our SETTINGS leave SETTINGS_QPACK_MAX_TABLE_CAPACITY at 0", "the server sends no encoder instruction",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                var id = await peer.OpenRequestAsync(Headers(RequestSection(peer.Context)));
                await foreach (var _ in peer.WatchAsync(id))
                {
                }

                return peer.ServerEncoderBytes == 0
                    ? peer.Context.Pass()
                    : peer.Context.Fail($"the server sent {peer.ServerEncoderBytes} bytes on its QPACK encoder stream; with a maximum table capacity of 0 it must send no encoder instruction");
            }));
    }

    /// <summary>Sends a GET and judges the fields of the final response with <paramref name="problem"/> (null when they conform).</summary>
    private static Func<CaseContext, Task<CaseVerdict>> ResponseCheck(Func<List<HeaderField>, string?> problem) =>
        Connected(async peer =>
        {
            peer.MarkTrigger();
            var id = await peer.OpenRequestAsync(Headers(RequestSection(peer.Context)));
            await foreach (var seen in peer.WatchAsync(probe: null))
            {
                if (seen.Close is { } close)
                {
                    return peer.Context.Fail($"{RawHttp3Peer.Describe(close)} before a response");
                }

                if (seen is { Kind: Http3SeenKind.Frame, Frame: HeadersFrame } && seen.StreamId == id && !RawHttp3Peer.IsInterim(seen))
                {
                    return seen.Fields is { } fields
                        ? problem([.. fields]) is { } found ? peer.Context.Fail(found) : peer.Context.Pass()
                        : peer.Context.Fail("the response's field section does not decode with no dynamic table (our SETTINGS allow none)");
                }
            }

            return peer.Context.Fail($"no response within {peer.Context.Target.CaseTimeout.TotalSeconds:0.#} s");
        });
}
