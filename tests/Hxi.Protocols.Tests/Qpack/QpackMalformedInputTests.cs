using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Qpack;

namespace Hxi.Protocols.Tests.Qpack;

/// <summary>RFC 9204 Sections 2.2.3, 4.3, 4.4 and 6: every malformed input is a QpackException with the right code.</summary>
public class QpackMalformedInputTests
{
    // A decoder with two entries (abs 0 ":authority: www.example.com", abs 1 ":path: /sample/path"), capacity 220.
    private static QpackDecoder DecoderWithTwoEntries()
    {
        var decoder = new QpackDecoder(maxTableCapacity: 220);
        decoder.ReceiveEncoderStream(Hex.Parse("3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468"));
        return decoder;
    }

    [Theory]
    [InlineData("", "empty section")]
    [InlineData("00", "ends before the Base")]
    [InlineData("ff", "Required Insert Count truncated")]
    [InlineData("0000 ff", "static index truncated")]
    [InlineData("0000 ff64", "static index 99 past the end")]
    [InlineData("0000 510b 2f69", "value shorter than its length")]
    [InlineData("0000 2f", "name length truncated")]
    [InlineData("0000 51 ff ff ff ff ff ff ff ff ff ff 01", "integer overflow")]
    [InlineData("0000 5181 ff", "Huffman string ending in a partial symbol")]
    [InlineData("0000 80", "dynamic reference with Required Insert Count 0")]
    [InlineData("0000 10", "post-base reference with Required Insert Count 0")]
    [InlineData("0381 12", "post-base index at the Required Insert Count")]
    [InlineData("0382 10", "negative Base (sign 1, Delta Base 2 >= Required Insert Count 2)")]
    [InlineData("0301 80", "Required Insert Count 2 larger than the highest reference needs")]
    [InlineData("0d00", "encoded Required Insert Count above 2 * MaxEntries")]
    [InlineData("0300 82", "relative index below the first entry")]
    public void Rfc9204_4_5_MalformedFieldSectionFailsDecompression(string hex, string why)
    {
        var decoder = DecoderWithTwoEntries();
        var e = Assert.Throws<QpackException>(() => decoder.TryDecode(0, Hex.Parse(hex), out _));
        Assert.True(e.Code == Http3ErrorCode.QpackDecompressionFailed, why);
    }

    [Fact]
    public void Rfc9204_2_2_3_ReferenceToEvictedEntryFailsDecompression()
    {
        var decoder = new QpackDecoder(maxTableCapacity: 100);

        // Capacity 100 holds one of these 57-byte entries; the second insert evicts the first.
        decoder.ReceiveEncoderStream(Hex.Parse("3f45 c00f 7777 772e 6578 616d 706c 652e 636f 6d c00f 7777 772e 6578 616d 706c 652e 636f 6e"));
        Assert.Equal(1, decoder.Table.FirstAbsoluteIndex);

        // Required Insert Count 2 (encoded 3, MaxEntries 3), Base 2, relative index 1 = absolute 0: evicted.
        var e = Assert.Throws<QpackException>(() => decoder.TryDecode(0, Hex.Parse("0300 81 80"), out _));
        Assert.Equal(Http3ErrorCode.QpackDecompressionFailed, e.Code);
        Assert.Contains("evicted", e.Reason);
    }

    [Theory]
    [InlineData("3fbe01", "capacity 221 above our maximum of 220")]
    [InlineData("3fbd01 ff64 00", "static name index 99 past the end")]
    [InlineData("3fbd01 8000", "dynamic name reference into an empty table")]
    [InlineData("3fbd01 00", "duplicate of an entry that does not exist")]
    [InlineData("3f01 c00f 7777 772e 6578 616d 706c 652e 636f 6d", "insert of 57 bytes over a capacity of 32")]
    [InlineData("3fbd01 c0 7f ff ff ff ff 0f", "value length past the buffering limit")]
    [InlineData("3fbd01 3f ff ff ff ff ff ff ff ff ff ff 01", "integer overflow")]
    [InlineData("3fbd01 c081 ff", "bad Huffman value")]
    public void Rfc9204_4_3_MalformedEncoderStreamIsAnEncoderStreamError(string hex, string why)
    {
        foreach (bool byteByByte in new[] { false, true })
        {
            var decoder = new QpackDecoder(maxTableCapacity: 220);
            var e = Assert.Throws<QpackException>(() => QpackTestSupport.Feed(hex, byteByByte, b => decoder.ReceiveEncoderStream(b)));
            Assert.True(e.Code == Http3ErrorCode.QpackEncoderStreamError, $"{why}: {e.Message}");
        }
    }

    [Theory]
    [InlineData("84", "Section Acknowledgment for a stream with nothing outstanding")]
    [InlineData("00", "Insert Count Increment of zero")]
    [InlineData("01", "Insert Count Increment beyond the inserts sent")]
    [InlineData("3f ff ff ff ff ff ff ff ff ff ff 01", "integer overflow")]
    public void Rfc9204_4_4_MalformedDecoderStreamIsADecoderStreamError(string hex, string why)
    {
        var encoder = new QpackEncoder();
        encoder.ApplyPeerSettings(4096, 100);
        var e = Assert.Throws<QpackException>(() => encoder.ReceiveDecoderStream(Hex.Parse(hex)));
        Assert.True(e.Code == Http3ErrorCode.QpackDecoderStreamError, why);
    }
}
