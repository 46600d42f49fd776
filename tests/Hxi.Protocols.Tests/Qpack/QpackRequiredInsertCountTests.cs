using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Qpack;

namespace Hxi.Protocols.Tests.Qpack;

/// <summary>RFC 9204 Section 4.5.1.1: the Required Insert Count modulo 2 * MaxEntries, and its reconstruction.</summary>
public class QpackRequiredInsertCountTests
{
    [Fact]
    public void Rfc9204_4_5_1_1_SpecExample()
    {
        // "if the dynamic table is 100 bytes ... encoded modulo 6. If a decoder has received 10 inserts,
        // then an encoded value of 4 indicates that the Required Insert Count is 9."
        Assert.Equal(4, QpackRequiredInsertCount.Encode(9, 100));
        Assert.Equal(9, QpackRequiredInsertCount.Decode(4, 100, totalNumberOfInserts: 10));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 2)]
    [InlineData(5, 6)]
    [InlineData(6, 1)]
    [InlineData(7, 2)]
    [InlineData(12, 1)]
    public void Rfc9204_4_5_1_1_EncodeWrapsModuloFullRange(long required, long encoded) =>
        Assert.Equal(encoded, QpackRequiredInsertCount.Encode(required, 100));

    [Theory]
    [InlineData(3, 2)]     // the decoder is behind: the section will block until insert 5
    [InlineData(5, 5)]
    [InlineData(6, 5)]     // the encoder wrapped once: 6 mod 6 + 1 = 1
    [InlineData(8, 7)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 998)]
    public void Rfc9204_4_5_1_1_RoundTripsAcrossTheWrap(long required, long totalInserts)
    {
        long encoded = QpackRequiredInsertCount.Encode(required, 100);
        Assert.Equal(required, QpackRequiredInsertCount.Decode(encoded, 100, totalInserts));
    }

    [Fact]
    public void Rfc9204_4_5_1_1_RoundTripsEveryReachableValue()
    {
        const long Capacity = 4096; // MaxEntries 128
        for (long inserts = 0; inserts < 1000; inserts += 7)
        {
            for (long required = Math.Max(1, inserts - 127); required <= inserts + 128; required++)
            {
                long encoded = QpackRequiredInsertCount.Encode(required, Capacity);
                Assert.Equal(required, QpackRequiredInsertCount.Decode(encoded, Capacity, inserts));
            }
        }
    }

    [Theory]
    [InlineData(7, 100, 10)]  // above FullRange = 6
    [InlineData(5, 100, 0)]   // 4 is past MaxValue (0 + 3) and cannot have wrapped
    [InlineData(1, 100, 0)]   // decodes to a Required Insert Count of 0, which must be encoded as 0
    [InlineData(1, 0, 0)]     // a table of capacity 0 admits no non-zero count
    public void Rfc9204_4_5_1_1_ImpossibleEncodingsFail(long encoded, long capacity, long totalInserts)
    {
        var e = Assert.Throws<QpackException>(() => QpackRequiredInsertCount.Decode(encoded, capacity, totalInserts));
        Assert.Equal(Http3ErrorCode.QpackDecompressionFailed, e.Code);
    }
}
