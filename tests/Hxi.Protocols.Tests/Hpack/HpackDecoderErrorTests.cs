using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Hpack;

/// <summary>Malformed blocks: each must fail with <see cref="HpackDecodingException"/> and a message naming the problem.</summary>
public class HpackDecoderErrorTests
{
    [Fact]
    public void RejectsIndexZero()
    {
        AssertFails(new HpackDecoder(), "80", "HPACK index 0 at offset 0 is not valid");
    }

    [Fact]
    public void RejectsALiteralNamedByIndexZeroOnlyInTheIndexedForm()
    {
        // A literal with name index 0 means "literal name follows", so index 0 is only an error when indexed.
        Assert.Equal([new HeaderField("a", "b")], new HpackDecoder().Decode(Hex.Parse("00 0161 0162")));
    }

    [Fact]
    public void RejectsAnIndexPastTheTable()
    {
        var decoder = new HpackDecoder();
        decoder.Decode(Hex.Parse("40 0161 0162 40 0163 0164"));

        AssertFails(decoder, "c6", "HPACK index 70 is past the end of the table (61 static + 2 dynamic)");
        AssertFails(new HpackDecoder(), "be", "HPACK index 62 is past the end of the table (61 static + 0 dynamic)");
    }

    [Fact]
    public void RejectsANameIndexPastTheTable()
    {
        AssertFails(new HpackDecoder(), "7f 03 0162", "HPACK index 66 is past the end of the table (61 static + 0 dynamic)");
    }

    [Fact]
    public void RejectsIntegerOverflow()
    {
        AssertFails(new HpackDecoder(), "1f ff ff ff ff ff ff", "HPACK integer for a name index at offset 0 overflows");
        AssertFails(new HpackDecoder(), "ff ff ff ff ff 0f", "HPACK integer for an index at offset 0 overflows");
        AssertFails(new HpackDecoder(), "40 7f ff ff ff ff 0f", "HPACK integer for a string length at offset 1 overflows");
    }

    [Fact]
    public void RejectsOverlongIntegers()
    {
        AssertFails(new HpackDecoder(), "ff 80 80 80 80 80 80 80 80 80 80 80 00", "more than 10 continuation bytes");
    }

    [Fact]
    public void RejectsATruncatedIndex()
    {
        AssertFails(new HpackDecoder(), "ff 80", "HPACK block ends inside an index at offset 0");
    }

    [Fact]
    public void RejectsATruncatedStringLength()
    {
        AssertFails(new HpackDecoder(), "40 7f", "HPACK block ends inside a string length at offset 1");
        AssertFails(new HpackDecoder(), "40", "HPACK block ends before a string literal at offset 1");
        AssertFails(new HpackDecoder(), "41", "HPACK block ends before a string literal at offset 1");
    }

    [Fact]
    public void RejectsAStringRunningPastTheEnd()
    {
        AssertFails(new HpackDecoder(), "40 0a 6162", "HPACK string of 10 bytes at offset 1 runs past the end of the block (2 bytes left)");
        AssertFails(new HpackDecoder(), "41 8c f1e3", "HPACK string of 12 bytes at offset 1 runs past the end of the block (2 bytes left)");
    }

    [Fact]
    public void RejectsASizeUpdateAboveTheAdvertisedLimit()
    {
        // 3fe21f is a size update to 4097.
        AssertFails(new HpackDecoder(maxTableSize: 4096), "3f e2 1f", "HPACK dynamic table size update to 4097 exceeds the advertised limit of 4096");
        AssertFails(new HpackDecoder(maxTableSize: 0), "21", "HPACK dynamic table size update to 1 exceeds the advertised limit of 0");
    }

    [Fact]
    public void AcceptsSizeUpdatesUpToTheLimitAtTheStart()
    {
        var decoder = new HpackDecoder(maxTableSize: 4096);
        Assert.Equal([new HeaderField(":method", "GET")], decoder.Decode(Hex.Parse("20 3f e1 1f 82")));
        Assert.Equal(4096, decoder.Table.MaxSize);
    }

    [Fact]
    public void RejectsASizeUpdateAfterAField()
    {
        AssertFails(new HpackDecoder(), "82 20", "HPACK dynamic table size update at offset 1 follows a header field");
    }

    [Fact]
    public void RequiresASizeUpdateAfterTheLimitIsLowered()
    {
        var decoder = new HpackDecoder();
        decoder.MaxTableSize = 100;

        AssertFails(decoder, "82", "HPACK block must start with a dynamic table size update");

        decoder = new HpackDecoder { MaxTableSize = 100 };
        Assert.Equal([new HeaderField(":method", "GET")], decoder.Decode(Hex.Parse("3f 45 82")));
        Assert.Equal(100, decoder.Table.MaxSize);

        // Once announced, later blocks need no update.
        Assert.Single(decoder.Decode(Hex.Parse("82")));
    }

    [Fact]
    public void RejectsAHeaderListOverTheLimit()
    {
        // :method: GET (42) + :scheme: http (43) = 85 > 80.
        AssertFails(
            new HpackDecoder(maxHeaderListSize: 80),
            "82 86",
            "HPACK header list size 85 exceeds the limit of 80 bytes (at \":scheme\")");

        Assert.Equal(2, new HpackDecoder(maxHeaderListSize: 85).Decode(Hex.Parse("82 86")).Count);
    }

    [Fact]
    public void RejectsHuffmanErrorsInStrings()
    {
        AssertFails(new HpackDecoder(), "40 81 18 0161", "HPACK Huffman string at offset 1 ends with padding that is not all ones");
        AssertFails(new HpackDecoder(), "40 81 ff 0161", "HPACK Huffman string at offset 1 has padding longer than 7 bits");
        AssertFails(new HpackDecoder(), "40 0161 85 1fffffffff", "HPACK Huffman string at offset 3 contains the EOS symbol");
    }

    [Fact]
    public void DecodesAnEmptyBlockToNoFields()
    {
        Assert.Empty(new HpackDecoder().Decode([]));
    }

    [Fact]
    public void RandomBytesFailOnlyWithHpackDecodingException()
    {
        var random = new Random(9113);
        for (int i = 0; i < 5000; i++)
        {
            var block = new byte[random.Next(0, 40)];
            random.NextBytes(block);
            var decoder = new HpackDecoder(maxTableSize: 256, maxHeaderListSize: 1024);
            try
            {
                decoder.Decode(block);
            }
            catch (HpackDecodingException)
            {
            }
        }
    }

    private static void AssertFails(HpackDecoder decoder, string hex, string expectedMessage)
    {
        var exception = Assert.Throws<HpackDecodingException>(() => decoder.Decode(Hex.Parse(hex)));
        Assert.Contains(expectedMessage, exception.Message, StringComparison.Ordinal);
    }
}
