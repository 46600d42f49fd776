namespace Hxi.Protocols.Http2.Hpack;

/// <summary>The five representations of RFC 7541 Section 6, distinguished by their leading bits.</summary>
public enum HpackRepresentation
{
    /// <summary><c>1xxxxxxx</c>: a static or dynamic table entry by index (Section 6.1).</summary>
    Indexed,

    /// <summary><c>01xxxxxx</c>: a literal that is also added to the dynamic table (Section 6.2.1).</summary>
    LiteralWithIncrementalIndexing,

    /// <summary><c>0000xxxx</c>: a literal left out of the dynamic table (Section 6.2.2).</summary>
    LiteralWithoutIndexing,

    /// <summary><c>0001xxxx</c>: a literal that intermediaries must never index either (Section 6.2.3).</summary>
    LiteralNeverIndexed,

    /// <summary><c>001xxxxx</c>: a new dynamic table size limit (Section 6.3).</summary>
    DynamicTableSizeUpdate,
}
