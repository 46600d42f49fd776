using System.Text;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Hpack;

public class HuffmanTests
{
    // Every Huffman string in RFC 7541 Appendix C.4 and C.6.
    [Theory]
    [InlineData("www.example.com", "f1e3c2e5f23a6ba0ab90f4ff")]
    [InlineData("no-cache", "a8eb10649cbf")]
    [InlineData("custom-key", "25a849e95ba97d7f")]
    [InlineData("custom-value", "25a849e95bb8e8b4bf")]
    [InlineData("302", "6402")]
    [InlineData("307", "640eff")]
    [InlineData("private", "aec3771a4b")]
    [InlineData("Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff")]
    [InlineData("Mon, 21 Oct 2013 20:13:22 GMT", "d07abe941054d444a8200595040b8166e084a62d1bff")]
    [InlineData("https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3")]
    [InlineData("gzip", "9bd9ab")]
    [InlineData(
        "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
        "94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007")]
    [InlineData("", "")]
    public void Rfc7541_AppendixC_StringsRoundTrip(string text, string hex)
    {
        byte[] raw = Encoding.Latin1.GetBytes(text);
        Assert.Equal(hex.Length / 2, Huffman.GetEncodedLength(raw));

        var encoded = new byte[Huffman.GetEncodedLength(raw)];
        Assert.Equal(encoded.Length, Huffman.Encode(raw, encoded));
        Assert.Equal(hex, Hex.Format(encoded));

        Assert.Equal(text, Decode(Hex.Parse(hex)));
    }

    [Fact]
    public void EveryByteValueRoundTripsAlone()
    {
        for (int value = 0; value < 256; value++)
        {
            byte[] raw = [(byte)value];
            var encoded = new byte[Huffman.GetEncodedLength(raw)];
            Huffman.Encode(raw, encoded);
            Assert.True(Huffman.TryDecode(encoded, new byte[8], out int written, out HuffmanError error), $"byte {value}: {error}");
            Assert.Equal(1, written);
        }
    }

    [Fact]
    public void AllByteValuesRoundTripTogetherAndInReverse()
    {
        byte[] ascending = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        foreach (byte[] raw in new[] { ascending, ascending.Reverse().ToArray() })
        {
            var encoded = new byte[Huffman.GetEncodedLength(raw)];
            Huffman.Encode(raw, encoded);
            var decoded = new byte[Huffman.GetMaxDecodedLength(encoded.Length)];
            Assert.True(Huffman.TryDecode(encoded, decoded, out int written));
            Assert.Equal(raw, decoded[..written]);
        }
    }

    [Fact]
    public void RandomStringsRoundTripWithinTheDecodedLengthBound()
    {
        var random = new Random(7541);
        for (int i = 0; i < 2000; i++)
        {
            var raw = new byte[random.Next(0, 64)];
            random.NextBytes(raw);
            if (i % 2 == 0)
            {
                // Mostly short codes, to approach the 8/5 bound.
                for (int j = 0; j < raw.Length; j++)
                {
                    raw[j] = (byte)"012aceiost"[raw[j] % 10];
                }
            }

            var encoded = new byte[Huffman.GetEncodedLength(raw)];
            Huffman.Encode(raw, encoded);
            var decoded = new byte[Huffman.GetMaxDecodedLength(encoded.Length)];
            Assert.True(Huffman.TryDecode(encoded, decoded, out int written));
            Assert.Equal(raw, decoded[..written]);
        }
    }

    [Fact]
    public void RejectsTheEosSymbolInsideAString()
    {
        // 'a' (00011) followed by the full 30-bit EOS code and five bits of padding.
        AssertRejected("1fffffffff", HuffmanError.EndOfStringSymbol);

        // EOS alone, then two padding bits.
        AssertRejected("ffffffff", HuffmanError.EndOfStringSymbol);
    }

    [Fact]
    public void RejectsPaddingThatIsNotAllOnes()
    {
        // 'a' (00011) padded with 000 instead of 111.
        AssertRejected("18", HuffmanError.PaddingNotEndOfString);

        // 'a' padded with 101.
        AssertRejected("1d", HuffmanError.PaddingNotEndOfString);
    }

    [Fact]
    public void RejectsPaddingLongerThanSevenBits()
    {
        // A whole byte of ones is 8 bits of padding.
        AssertRejected("ff", HuffmanError.PaddingTooLong);

        // 'a' then 3 + 8 bits of padding.
        AssertRejected("1fff", HuffmanError.PaddingTooLong);
    }

    [Fact]
    public void AcceptsSevenBitsOfPadding()
    {
        // Five '0' symbols (00000 each) are 25 bits, leaving 7 bits of padding in the fourth byte.
        Assert.Equal("00000", Decode(Hex.Parse("0000007f")));
    }

    [Fact]
    public void ReportsAShortDestination()
    {
        Assert.False(Huffman.TryDecode(Hex.Parse("f1e3c2e5f23a6ba0ab90f4ff"), new byte[3], out _, out HuffmanError error));
        Assert.Equal(HuffmanError.DestinationTooSmall, error);
    }

    private static string Decode(byte[] encoded)
    {
        var decoded = new byte[Huffman.GetMaxDecodedLength(encoded.Length)];
        Assert.True(Huffman.TryDecode(encoded, decoded, out int written, out HuffmanError error), error.ToString());
        return Encoding.Latin1.GetString(decoded, 0, written);
    }

    private static void AssertRejected(string hex, HuffmanError expected)
    {
        Assert.False(Huffman.TryDecode(Hex.Parse(hex), new byte[16], out _, out HuffmanError error));
        Assert.Equal(expected, error);
    }
}
