using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

/// <summary>One field line as it appeared on the wire, for the --qpack view.</summary>
/// <param name="Representation">Which of the Section 4.5 representations this was.</param>
/// <param name="Field">The decoded or encoded field.</param>
/// <param name="Index">The index as written: static index, relative index or post-base index; -1 for a literal name.</param>
/// <param name="AbsoluteIndex">The dynamic entry's absolute index, or -1 when the line uses no dynamic entry.</param>
/// <param name="NeverIndexed">The N bit: intermediaries must keep this field a literal.</param>
/// <param name="NameHuffman">The literal name was Huffman-coded.</param>
/// <param name="ValueHuffman">The literal value was Huffman-coded.</param>
/// <param name="Encoded">The exact bytes of this field line.</param>
public sealed record QpackFieldTrace(
    QpackRepresentation Representation,
    HeaderField Field,
    long Index,
    long AbsoluteIndex,
    bool NeverIndexed,
    bool NameHuffman,
    bool ValueHuffman,
    ReadOnlyMemory<byte> Encoded);

/// <summary>One encoded field section (RFC 9204 Section 4.5): its prefix and its field lines.</summary>
/// <param name="StreamId">The stream whose HEADERS or PUSH_PROMISE carried it.</param>
/// <param name="EncodedInsertCount">The Required Insert Count as written.</param>
/// <param name="RequiredInsertCount">The decoded Required Insert Count.</param>
/// <param name="Base">The Base the field lines are relative to.</param>
/// <param name="Prefix">The exact bytes of the prefix.</param>
/// <param name="Lines">The field lines in wire order.</param>
/// <param name="WasBlocked">The decoder had to wait for encoder-stream inserts before decoding it.</param>
public sealed record QpackSectionTrace(
    long StreamId,
    long EncodedInsertCount,
    long RequiredInsertCount,
    long Base,
    ReadOnlyMemory<byte> Prefix,
    IReadOnlyList<QpackFieldTrace> Lines,
    bool WasBlocked);

/// <summary>One encoder- or decoder-stream instruction (RFC 9204 Sections 4.3 and 4.4), for the --qpack view.</summary>
/// <param name="Kind">The instruction.</param>
/// <param name="Value">
/// Capacity for Set Dynamic Table Capacity; the name index for Insert With Name Reference (static or relative);
/// the relative index for Duplicate; the stream id for Section Acknowledgment and Stream Cancellation; the increment.
/// </param>
/// <param name="StaticName">Insert With Name Reference named a static entry (T=1).</param>
/// <param name="Field">The inserted field, <c>default</c> for other instructions.</param>
/// <param name="NameHuffman">The literal name was Huffman-coded.</param>
/// <param name="ValueHuffman">The literal value was Huffman-coded.</param>
/// <param name="InsertedAbsoluteIndex">The new entry's absolute index, or -1.</param>
/// <param name="Encoded">The exact bytes of the instruction.</param>
/// <param name="Evicted">Entries the instruction evicted, oldest first.</param>
public sealed record QpackInstructionTrace(
    QpackInstructionKind Kind,
    long Value,
    bool StaticName,
    HeaderField Field,
    bool NameHuffman,
    bool ValueHuffman,
    long InsertedAbsoluteIndex,
    ReadOnlyMemory<byte> Encoded,
    IReadOnlyList<QpackTableEntry> Evicted);
