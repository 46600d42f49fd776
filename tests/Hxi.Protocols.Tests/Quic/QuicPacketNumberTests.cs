using Hxi.Protocols.Quic.Packets;

namespace Hxi.Protocols.Tests.Quic;

public class QuicPacketNumberTests
{
    [Fact]
    public void Rfc9000_A_2_EncodingExample()
    {
        Assert.Equal(2, QuicPacketNumber.GetEncodedLength(0xac5c02, 0xabe8b3));
        Assert.Equal(3, QuicPacketNumber.GetEncodedLength(0xace8fe, 0xabe8b3));
    }

    [Fact]
    public void Rfc9000_A_3_DecodingExample() =>
        Assert.Equal(0xa82f9b32UL, QuicPacketNumber.Decode(0xa82f30ea, 0x9b32, 2));

    [Theory]
    [InlineData(0UL, null, 1)]
    [InlineData(126UL, null, 1)]
    [InlineData(127UL, null, 2)] // 128 unacknowledged: 8 bits is exactly twice, and the text asks for more than twice
    [InlineData(128UL, null, 2)]
    [InlineData(200UL, 100UL, 1)]
    [InlineData(227UL, 100UL, 1)]
    [InlineData(228UL, 100UL, 2)]
    public void Rfc9000_17_1_LengthCoversTwiceTheUnacknowledgedRange(ulong packetNumber, ulong? largestAcked, int length) =>
        Assert.Equal(length, QuicPacketNumber.GetEncodedLength(packetNumber, largestAcked));

    [Fact]
    public void Rfc9000_17_1_EncodeThenDecodeRecoversEveryNumberNearTheExpectedOne()
    {
        var random = new Random(9000);
        for (int i = 0; i < 10_000; i++)
        {
            ulong largestReceived = (ulong)random.NextInt64(0, 1L << 40);
            ulong next = largestReceived + (ulong)random.Next(1, 1000);
            int length = QuicPacketNumber.GetEncodedLength(next, largestReceived);
            ulong decoded = QuicPacketNumber.Decode(largestReceived, QuicPacketNumber.Truncate(next, length), length);
            Assert.Equal(next, decoded);
        }
    }

    [Fact]
    public void Rfc9000_A_3_DecodingWithNothingReceivedAndAtTheTopOfTheRange()
    {
        Assert.Equal(0UL, QuicPacketNumber.Decode(null, 0, 1));
        Assert.Equal(5UL, QuicPacketNumber.Decode(null, 5, 4));
        ulong top = QuicPacketNumber.MaxValue - 1;
        Assert.Equal(QuicPacketNumber.MaxValue, QuicPacketNumber.Decode(top, QuicPacketNumber.Truncate(QuicPacketNumber.MaxValue, 1), 1));
    }
}
