using static Hxi.Net.Conformance.Http2.Http2CaseKit;

namespace Hxi.Net.Conformance.Http2;

public static partial class Http2Cases
{
    /// <summary>More HPACK decoding errors (RFC 7541): every one is a connection error COMPRESSION_ERROR (RFC 9113 Section 4.3).</summary>
    private static void AddMoreHpackCases(CaseCatalog c)
    {
        c.Must(Hpack, "2.3.3", "an entry added, then index 63 (one past the dynamic table's only entry)", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.LiteralIndexed("x-hxi", "one").Indexed(63)));

        c.Must(Hpack, "5.1", "a string length encoded in 11 bytes (an integer beyond any limit)", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.Raw(0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)));

        c.Must(Hpack, "5.2", "a Huffman-coded field name that contains EOS", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.Raw(0x00, 0x84, 0xff, 0xff, 0xff, 0xff, 0x01, 0x78)));

        c.Must(Hpack, "6.2.1", "a literal with incremental indexing whose name index is 70 (past both tables)", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.LiteralIndexedWithNameIndex(70, "x")));

        c.Must(Hpack, "6.2.3", "a never-indexed literal whose name index is 70 (past both tables)", "connection error COMPRESSION_ERROR",
            BadBlock(b => b.NeverIndexedWithNameIndex(70, "x")));
    }
}
