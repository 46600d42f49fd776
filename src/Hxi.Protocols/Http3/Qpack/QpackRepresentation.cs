namespace Hxi.Protocols.Http3.Qpack;

/// <summary>The field line representations of RFC 9204 Section 4.5, by their leading bits.</summary>
public enum QpackRepresentation
{
    /// <summary><c>11xxxxxx</c>: a static table entry (Section 4.5.2, T=1).</summary>
    IndexedStatic,

    /// <summary><c>10xxxxxx</c>: a dynamic entry below the Base, by relative index (Section 4.5.2, T=0).</summary>
    IndexedDynamic,

    /// <summary><c>0001xxxx</c>: a dynamic entry at or above the Base (Section 4.5.3).</summary>
    IndexedPostBase,

    /// <summary><c>01N1xxxx</c>: a literal value with a static table name (Section 4.5.4, T=1).</summary>
    LiteralStaticName,

    /// <summary><c>01N0xxxx</c>: a literal value with a dynamic name below the Base (Section 4.5.4, T=0).</summary>
    LiteralDynamicName,

    /// <summary><c>0000Nxxx</c>: a literal value with a dynamic name at or above the Base (Section 4.5.5).</summary>
    LiteralPostBaseName,

    /// <summary><c>001NHxxx</c>: literal name and value (Section 4.5.6).</summary>
    LiteralLiteralName,
}

/// <summary>Encoder (Section 4.3) and decoder (Section 4.4) stream instructions.</summary>
public enum QpackInstructionKind
{
    SetDynamicTableCapacity,
    InsertWithNameReference,
    InsertWithLiteralName,
    Duplicate,
    SectionAcknowledgment,
    StreamCancellation,
    InsertCountIncrement,
}
