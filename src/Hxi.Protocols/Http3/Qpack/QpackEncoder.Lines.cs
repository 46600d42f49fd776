using System.Buffers;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

public sealed partial class QpackEncoder
{
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 1 | T |      Index (6+)       |
    // +---+---+-----------------------+
    private static void WriteIndexedStatic(HeaderField field, int index, SectionBuilder section)
    {
        int length = PrefixInteger.GetByteCount(index, 6);
        Span<byte> span = section.Lines.GetSpan(length);
        PrefixInteger.Write(span, index, 6, 0xc0);
        section.Trace?.Add(new QpackFieldTrace(QpackRepresentation.IndexedStatic, field, index, -1, false, false, false, span[..length].ToArray()));
        section.Lines.Advance(length);
    }

    //   0   1   2   3   4   5   6   7          0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+      +---+---+---+---+---+---+---+---+
    // | 1 | 0 |  Relative Index (6+)  |      | 0 | 0 | 0 | 1 |  Index (4+)   |
    // +---+---+-----------------------+      +---+---+---+---+---------------+
    //        below the Base                       at or above the Base (post-base)
    private void WriteIndexedDynamic(HeaderField field, long absolute, SectionBuilder section)
    {
        Reference(absolute, section);
        bool postBase = absolute >= section.Base;
        int index = checked((int)(postBase ? absolute - section.Base : section.Base - absolute - 1));
        (int prefixBits, byte pattern, var representation) = postBase
            ? (4, (byte)0x10, QpackRepresentation.IndexedPostBase)
            : (6, (byte)0x80, QpackRepresentation.IndexedDynamic);
        int length = PrefixInteger.GetByteCount(index, prefixBits);
        Span<byte> span = section.Lines.GetSpan(length);
        PrefixInteger.Write(span, index, prefixBits, pattern);
        section.Trace?.Add(new QpackFieldTrace(representation, field, index, absolute, false, false, false, span[..length].ToArray()));
        section.Lines.Advance(length);
    }

    private void WriteLiteral(HeaderField field, bool never, bool allowDynamicName, SectionBuilder section)
    {
        if (QpackStaticTable.TryGetNameIndex(field.Name, out int staticIndex))
        {
            WriteLiteralWithNameReference(field, never, staticIndex, -1, section);
        }
        else if (allowDynamicName && Table.TryFindName(field.Name, out long absolute) && CanReference(absolute, section))
        {
            WriteLiteralWithNameReference(field, never, -1, absolute, section);
        }
        else
        {
            WriteLiteralName(field, never, UseHuffman, section);
        }
    }

    //      0   1   2   3   4   5   6   7             0   1   2   3   4   5   6   7
    //    +---+---+---+---+---+---+---+---+         +---+---+---+---+---+---+---+---+
    //    | 0 | 1 | N | T |Name Index (4+)|         | 0 | 0 | 0 | 0 | N |NameIdx(3+)|
    //    +---+---+---+---+---------------+         +---+---+---+---+---+-----------+
    //    | H |     Value Length (7+)     |         | H |     Value Length (7+)     |
    //    +---+---------------------------+         +---+---------------------------+
    //    |  Value String (Length bytes)  |         |  Value String (Length bytes)  |
    //    +-------------------------------+         +-------------------------------+
    //         static or relative name                      post-base name
    private void WriteLiteralWithNameReference(HeaderField field, bool never, int staticIndex, long absolute, SectionBuilder section)
    {
        int index;
        int prefixBits;
        byte pattern;
        QpackRepresentation representation;
        if (staticIndex >= 0)
        {
            (index, prefixBits, pattern, representation) = (staticIndex, 4, (byte)(0x50 | (never ? 0x20 : 0)), QpackRepresentation.LiteralStaticName);
        }
        else
        {
            Reference(absolute, section);
            if (absolute >= section.Base)
            {
                (index, prefixBits, pattern, representation) = (
                    checked((int)(absolute - section.Base)), 3, (byte)(never ? 0x08 : 0), QpackRepresentation.LiteralPostBaseName);
            }
            else
            {
                (index, prefixBits, pattern, representation) = (
                    checked((int)(section.Base - absolute - 1)), 4, (byte)(0x40 | (never ? 0x20 : 0)), QpackRepresentation.LiteralDynamicName);
            }
        }

        var value = QpackString.Prepare(field.Value, UseHuffman);
        int length = PrefixInteger.GetByteCount(index, prefixBits) + value.GetByteCount(7);
        Span<byte> span = section.Lines.GetSpan(length);
        int written = PrefixInteger.Write(span, index, prefixBits, pattern);
        written += QpackString.Write(span[written..], value, 7, 0);
        section.Trace?.Add(new QpackFieldTrace(
            representation, field, index, staticIndex >= 0 ? -1 : absolute, never, false, value.Huffman, span[..written].ToArray()));
        section.Lines.Advance(written);
    }

    //      0   1   2   3   4   5   6   7
    //    +---+---+---+---+---+---+---+---+
    //    | 0 | 0 | 1 | N | H |NameLen(3+)|
    //    +---+---+---+---+---+-----------+
    //    |  Name String (Length bytes)   |
    //    +---+---------------------------+
    //    | H |     Value Length (7+)     |
    //    +---+---------------------------+
    //    |  Value String (Length bytes)  |
    //    +-------------------------------+
    private static void WriteLiteralName(HeaderField field, bool never, bool useHuffman, SectionBuilder section)
    {
        var name = QpackString.Prepare(field.Name, useHuffman);
        var value = QpackString.Prepare(field.Value, useHuffman);
        int length = name.GetByteCount(3) + value.GetByteCount(7);
        Span<byte> span = section.Lines.GetSpan(length);
        int written = QpackString.Write(span, name, 3, (byte)(0x20 | (never ? 0x10 : 0)));
        written += QpackString.Write(span[written..], value, 7, 0);
        section.Trace?.Add(new QpackFieldTrace(
            QpackRepresentation.LiteralLiteralName, field, -1, -1, never, name.Huffman, value.Huffman, span[..written].ToArray()));
        section.Lines.Advance(written);
    }

    private void Reference(long absolute, SectionBuilder section)
    {
        section.HighestReference = Math.Max(section.HighestReference, absolute);
        if (section.References.Add(absolute))
        {
            _referenceCounts[absolute] = _referenceCounts.GetValueOrDefault(absolute) + 1;
        }
    }
}
