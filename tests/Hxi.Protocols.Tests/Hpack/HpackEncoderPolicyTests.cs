using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;
using static Hxi.Protocols.Tests.Hpack.HpackTestSupport;

namespace Hxi.Protocols.Tests.Hpack;

/// <summary>Which representation the encoder picks for which field, and how it follows the peer's table size.</summary>
public class HpackEncoderPolicyTests
{
    [Fact]
    public void IndexesAnExactStaticMatch()
    {
        Assert.Equal("82878441", Hex.Format(new HpackEncoder().Encode(
            [new(":method", "GET"), new(":scheme", "https"), new(":path", "/"), new(":authority", "a")]))[..8]);
    }

    [Fact]
    public void IndexesARepeatedFieldFromTheDynamicTable()
    {
        var encoder = new HpackEncoder { UseHuffman = false };
        HeaderField field = new("x-trace", "abc");

        Assert.Equal("4007782d7472616365" + "03616263", Hex.Format(encoder.Encode([field])));
        Assert.Equal("be", Hex.Format(encoder.Encode([field])));
        Assert.Equal("bebe", Hex.Format(encoder.Encode([field, field])));
    }

    [Fact]
    public void NamesADynamicEntryWhenOnlyTheNameMatches()
    {
        var encoder = new HpackEncoder { UseHuffman = false };
        encoder.Encode([new HeaderField("x-trace", "abc")]);

        // Name index 62 fits the 6-bit prefix: 0x40 | 62.
        Assert.Equal("7e03646566", Hex.Format(encoder.Encode([new HeaderField("x-trace", "def")])));
    }

    [Theory]
    [InlineData("authorization", "Bearer abc", "1f08")]
    [InlineData("proxy-authorization", "Basic abc", "1f22")]
    [InlineData("set-cookie", "id=1", "1f28")]
    [InlineData("cookie", "sid=123", "1f11")]
    [InlineData("Authorization", "Bearer abc", "10")]
    public void NeverIndexesSensitiveFields(string name, string value, string expectedPrefix)
    {
        var encoder = new HpackEncoder();
        var trace = new List<HpackFieldTrace>();

        for (int i = 0; i < 2; i++)
        {
            byte[] block = encoder.Encode([new HeaderField(name, value)], trace);
            Assert.StartsWith(expectedPrefix, Hex.Format(block), StringComparison.Ordinal);
        }

        Assert.All(trace, t => Assert.Equal(HpackRepresentation.LiteralNeverIndexed, t.Representation));
        Assert.Empty(encoder.Table);
    }

    [Fact]
    public void IndexesLongCookies()
    {
        var encoder = new HpackEncoder();
        HeaderField cookie = new("cookie", "session=0123456789abcdef");

        Assert.StartsWith("60", Hex.Format(encoder.Encode([cookie])), StringComparison.Ordinal);
        Assert.Equal("be", Hex.Format(encoder.Encode([cookie])));
    }

    [Fact]
    public void SendsPathsWithQueriesWithoutIndexing()
    {
        var encoder = new HpackEncoder { UseHuffman = false };

        Assert.Equal("0406" + "2f613f623d31", Hex.Format(encoder.Encode([new HeaderField(":path", "/a?b=1")])));
        Assert.Empty(encoder.Table);

        Assert.Equal("44", Hex.Format(encoder.Encode([new HeaderField(":path", "/a")]))[..2]);
        Assert.Single(encoder.Table);
    }

    [Fact]
    public void SendsLongValuesWithoutIndexing()
    {
        var encoder = new HpackEncoder();
        var trace = new List<HpackFieldTrace>();

        encoder.Encode([new HeaderField("x-big", new string('z', 513)), new HeaderField("x-ok", new string('z', 512))], trace);

        Assert.Equal(
            [HpackRepresentation.LiteralWithoutIndexing, HpackRepresentation.LiteralWithIncrementalIndexing],
            trace.Select(t => t.Representation));
    }

    [Fact]
    public void SendsFieldsLargerThanTheTableWithoutIndexing()
    {
        var encoder = new HpackEncoder(maxTableSize: 64);
        encoder.Encode([new HeaderField("x-a", "1")]);
        var trace = new List<HpackFieldTrace>();

        encoder.Encode([new HeaderField("x-large", new string('v', 40))], trace);

        Assert.Equal(HpackRepresentation.LiteralWithoutIndexing, trace[0].Representation);
        AssertTable(encoder.Table, 36, new HeaderField("x-a", "1"));
    }

    [Fact]
    public void HuffmanCodesOnlyWhenShorter()
    {
        var trace = new List<HpackFieldTrace>();
        new HpackEncoder().Encode([new HeaderField("x-a", "307"), new HeaderField("x-b", "www.example.com")], trace);

        // "307" is 3 bytes either way; "x-a" Huffman-codes to 3 bytes as well.
        Assert.Equal((false, false), (trace[0].NameHuffman, trace[0].ValueHuffman));
        Assert.True(trace[1].ValueHuffman);
    }

    [Fact]
    public void UseHuffmanFalseSendsRawStrings()
    {
        var trace = new List<HpackFieldTrace>();
        new HpackEncoder { UseHuffman = false }.Encode([new HeaderField("custom-key", "www.example.com")], trace);

        Assert.False(trace[0].NameHuffman || trace[0].ValueHuffman);
    }

    [Fact]
    public void RejectsNonLatin1TextBeforeWritingAnything()
    {
        var encoder = new HpackEncoder();
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        var exception = Assert.Throws<ArgumentException>(
            () => encoder.Encode([new HeaderField("x-ok", "1"), new HeaderField("x-bad", "caf\u00e9 \u2603")], output));

        Assert.Contains("U+2603", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.WrittenCount);
        Assert.Empty(encoder.Table);
    }

    [Fact]
    public void CarriesLatin1BytesAboveAscii()
    {
        var encoder = new HpackEncoder();
        HeaderField field = new("x-bytes", "caf\u00e9\u00ff\u0000");

        Assert.Equal([field], new HpackDecoder().Decode(encoder.Encode([field])));
    }

    [Fact]
    public void AnnouncesAPeerTableSizeChangeOnceAtTheStartOfTheNextBlock()
    {
        var encoder = new HpackEncoder();
        encoder.SetPeerMaxTableSize(256);

        Assert.Equal("3fe10182", Hex.Format(encoder.Encode([new HeaderField(":method", "GET")])));
        Assert.Equal("82", Hex.Format(encoder.Encode([new HeaderField(":method", "GET")])));
        Assert.Equal(256, encoder.Table.MaxSize);
    }

    [Fact]
    public void AnnouncesNothingWhenTheSizeIsUnchangedOrAboveTheCap()
    {
        var encoder = new HpackEncoder();
        encoder.SetPeerMaxTableSize(4096);
        Assert.Equal("82", Hex.Format(encoder.Encode([new HeaderField(":method", "GET")])));

        encoder.SetPeerMaxTableSize(65536);
        Assert.Equal("82", Hex.Format(encoder.Encode([new HeaderField(":method", "GET")])));
        Assert.Equal(4096, encoder.Table.MaxSize);
    }

    [Fact]
    public void AnnouncesTheSmallestThenTheFinalSize()
    {
        var encoder = new HpackEncoder();
        encoder.SetPeerMaxTableSize(0);
        encoder.SetPeerMaxTableSize(4096);

        // RFC 7541 Section 4.2: the smallest size in the interval, then the final one.
        Assert.Equal("203fe11f82", Hex.Format(encoder.Encode([new HeaderField(":method", "GET")])));
    }

    [Fact]
    public void UsesItsOwnCapWhenThePeerAllowsMore()
    {
        var encoder = new HpackEncoder(maxTableSize: 1024);
        Assert.Equal(1024, encoder.Table.MaxSize);

        encoder.SetPeerMaxTableSize(8192);
        Assert.Equal("82", Hex.Format(encoder.Encode([new HeaderField(":method", "GET")])));

        encoder.SetPeerMaxTableSize(512);
        Assert.Equal("3fe10382", Hex.Format(encoder.Encode([new HeaderField(":method", "GET")])));
    }
}
