using Hxi.Protocols.Http2.Hpack;

namespace Hxi.Cli.Wire;

/// <summary>One HPACK representation in words: what kind, which index, Huffman or not, what it evicted.</summary>
public static class HpackFormatter
{
    public static string Describe(HpackFieldTrace trace)
    {
        var description = trace.Representation switch
        {
            HpackRepresentation.Indexed => $"indexed field {IndexName(trace.Index)}: {trace.Field.Name}: {trace.Field.Value}",
            HpackRepresentation.DynamicTableSizeUpdate => $"dynamic table size update to {trace.Index}",
            _ => $"{Kind(trace.Representation)}, name {(trace.Index == 0 ? $"literal{Huffman(trace.NameHuffman)}" : IndexName(trace.Index))}, value literal{Huffman(trace.ValueHuffman)}: {trace.Field.Name}: {trace.Field.Value}",
        };
        if (trace.Evicted.Count > 0)
        {
            description += $" (evicted {string.Join(", ", trace.Evicted.Select(e => $"{e.Name}: {e.Value}"))})";
        }

        return description;
    }

    private static string Kind(HpackRepresentation representation) => representation switch
    {
        HpackRepresentation.LiteralWithIncrementalIndexing => "literal with incremental indexing",
        HpackRepresentation.LiteralWithoutIndexing => "literal without indexing",
        HpackRepresentation.LiteralNeverIndexed => "literal never indexed",
        _ => representation.ToString(),
    };

    private static string IndexName(int index) => index <= HpackStaticTable.Count ? $"{index} (static)" : $"{index} (dynamic)";

    private static string Huffman(bool huffman) => huffman ? " (Huffman)" : "";
}
