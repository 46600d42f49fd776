using Hxi.Cli.Wire;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Tests;

/// <summary>QPACK field lines read like HPACK's, so the two views name the same thing the same way.</summary>
public sealed class Http3FormatterTests
{
    private static QpackFieldTrace Line(QpackRepresentation representation, long index, long absolute = -1, bool neverIndexed = false, bool valueHuffman = false) =>
        new(representation, new HeaderField(":path", "/json"), index, absolute, neverIndexed, NameHuffman: false, valueHuffman, ReadOnlyMemory<byte>.Empty);

    [Theory]
    [InlineData(QpackRepresentation.IndexedStatic, 1, -1, false, false, "indexed field 1 (static): :path: /json")]
    [InlineData(QpackRepresentation.IndexedDynamic, 0, 4, false, false, "indexed field 0 (dynamic, relative, absolute 4): :path: /json")]
    [InlineData(QpackRepresentation.IndexedPostBase, 1, 6, false, false, "indexed field 1 (dynamic, post-base, absolute 6): :path: /json")]
    [InlineData(QpackRepresentation.LiteralStaticName, 1, -1, false, true, "literal, name 1 (static), value literal (Huffman): :path: /json")]
    [InlineData(QpackRepresentation.LiteralStaticName, 1, -1, true, false, "literal never indexed, name 1 (static), value literal: :path: /json")]
    [InlineData(QpackRepresentation.LiteralLiteralName, 0, -1, false, false, "literal, name literal, value literal: :path: /json")]
    public void FieldLines_AreWordedLikeHpack(QpackRepresentation representation, long index, long absolute, bool neverIndexed, bool huffman, string expected) =>
        Assert.Equal(expected, Http3Formatter.Describe(Line(representation, index, absolute, neverIndexed, huffman)));
}
