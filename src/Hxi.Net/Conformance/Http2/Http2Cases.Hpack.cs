using Hxi.Protocols.Http2;
using static Hxi.Net.Conformance.Http2.Http2CaseKit;

namespace Hxi.Net.Conformance.Http2;

public static partial class Http2Cases
{
    private const int Hpack = 7541;

    /// <summary>RFC 7541: every decoding error is a connection error COMPRESSION_ERROR (RFC 9113 Section 4.3).</summary>
    private static void AddHpackCases(CaseCatalog c)
    {
        c.Must(Hpack, "2.3.3", "an indexed field at index 62 while the dynamic table is empty", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.Indexed(62)));
        c.Must(Hpack, "2.3.3", "a literal whose name index is 70 (past both tables)", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.LiteralWithNameIndex(70, "x")));

        c.Must(Hpack, "2.3.3", "an entry added by one request, then used by index 62 in the next", "the dynamic table carries across blocks: a response",
            Connected(async peer =>
            {
                await peer.SendAsync(Headers(1, new HpackBlockBuilder().Raw(RequestBlock(peer.Context)).LiteralIndexed("x-hxi", "dynamic").ToArray()));
                if (await peer.ExpectResponseAsync(1) is { Outcome: not CaseOutcome.Passed } first)
                {
                    return peer.Context.Skip($"the first request was not answered: {first.Detail}");
                }

                await peer.SendTriggerAsync(Headers(3, new HpackBlockBuilder().Raw(RequestBlock(peer.Context)).Indexed(62).ToArray()));
                return await peer.ExpectResponseAsync(3);
            }));

        c.Must(Hpack, "4.2", "a dynamic table size update above the server's SETTINGS_HEADER_TABLE_SIZE", "connection error COMPRESSION_ERROR",
            Connected(async peer =>
            {
                var limit = ServerSetting(peer, Http2SettingId.HeaderTableSize) ?? 4096;
                await peer.SendTriggerAsync(Headers(1, new HpackBlockBuilder().SizeUpdate((int)limit + 1).Raw(RequestBlock(peer.Context)).ToArray()));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.CompressionError);
            }));

        c.Must(Hpack, "4.2", "two dynamic table size updates (0, then 4096) at the start of a block", "allowed: a response",
            Connected(async peer =>
            {
                var limit = (int)(ServerSetting(peer, Http2SettingId.HeaderTableSize) ?? 4096);
                await peer.SendTriggerAsync(Headers(1, new HpackBlockBuilder().SizeUpdate(0).SizeUpdate(limit).Raw(RequestBlock(peer.Context)).ToArray()));
                return await peer.ExpectResponseAsync(1);
            }));

        c.Must(Hpack, "4.2", "a dynamic table size update after a field", "connection error COMPRESSION_ERROR",
            Connected(async peer =>
            {
                await peer.SendTriggerAsync(Headers(1, new HpackBlockBuilder().Raw(RequestBlock(peer.Context)).SizeUpdate(0).ToArray()));
                return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.CompressionError);
            }));

        c.Must(Hpack, "5.1", "an index encoded in 11 bytes (an integer beyond any limit)", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.Raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)));

        c.Must(Hpack, "5.2", "a Huffman string that contains EOS", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.LiteralWithHuffmanValue("x-hxi", [0xff, 0xff, 0xff, 0xff])));
        c.Must(Hpack, "5.2", "a Huffman string with 11 bits of padding", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.LiteralWithHuffmanValue("x-hxi", [0x1f, 0xff])));
        c.Must(Hpack, "5.2", "a Huffman string padded with zeros instead of EOS's ones", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.LiteralWithHuffmanValue("x-hxi", [0x18])));
        c.Must(Hpack, "5.2", "a string literal whose length runs past the end of the block", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.Raw(0x00, 0x05, 0x78, 0x2d)));

        c.Must(Hpack, "6.1", "an indexed field with index 0", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.Indexed(0)));

        c.Must(Hpack, "5.2", "a request whose values are Huffman-coded", "a response",
            Connected(async peer =>
            {
                var block = new HpackBlockBuilder();
                foreach (var field in Request(peer.Context))
                {
                    block.LiteralHuffman(field.Name, field.Value);
                }

                await peer.SendTriggerAsync(Headers(1, block.ToArray()));
                return await peer.ExpectResponseAsync(1);
            }));
    }

    /// <summary>A request whose field block starts with the valid request fields and then <paramref name="broken"/>.</summary>
    private static Func<CaseContext, Task<CaseVerdict>> BadBlock(Action<HpackBlockBuilder> broken) =>
        Connected(async peer =>
        {
            var block = new HpackBlockBuilder().Raw(RequestBlock(peer.Context));
            broken(block);
            await peer.SendTriggerAsync(Headers(1, block.ToArray()));
            return await peer.ExpectConnectionErrorAsync(Http2ErrorCode.CompressionError);
        });
}
