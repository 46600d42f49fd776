using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http2.Hpack;

/// <summary>One representation as it appeared on the wire, for the --hpack view.</summary>
/// <param name="Representation">Which of the Section 6 representations this was.</param>
/// <param name="Field">The decoded or encoded field; <c>default</c> for a size update.</param>
/// <param name="Index">
/// The full index for <see cref="HpackRepresentation.Indexed"/>, the name index for a literal (0 when the name
/// is literal too), or the new maximum size for <see cref="HpackRepresentation.DynamicTableSizeUpdate"/>.
/// </param>
/// <param name="NameHuffman">The literal name was Huffman-coded.</param>
/// <param name="ValueHuffman">The literal value was Huffman-coded.</param>
/// <param name="Encoded">The exact bytes of this representation.</param>
/// <param name="Evicted">Entries evicted by this representation's insertion or size update, oldest first.</param>
public sealed record HpackFieldTrace(
    HpackRepresentation Representation,
    HeaderField Field,
    int Index,
    bool NameHuffman,
    bool ValueHuffman,
    ReadOnlyMemory<byte> Encoded,
    IReadOnlyList<HeaderField> Evicted);
