using System.Buffers;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Hpack;

public class PrefixIntegerTests
{
    [Fact]
    public void Rfc7541_C_1_1_EncodesTenWithFivePrefix()
    {
        AssertEncodes(10, prefixBits: 5, "0a");
    }

    [Fact]
    public void Rfc7541_C_1_2_EncodesThirteenThirtySevenWithFivePrefix()
    {
        AssertEncodes(1337, prefixBits: 5, "1f9a0a");
    }

    [Fact]
    public void Rfc7541_C_1_3_EncodesFortyTwoAtOctetBoundary()
    {
        AssertEncodes(42, prefixBits: 8, "2a");
    }

    [Theory]
    [InlineData(30, 5, "1e")]
    [InlineData(31, 5, "1f00")]
    [InlineData(127, 7, "7f00")]
    [InlineData(128, 7, "7f01")]
    [InlineData(0, 1, "00")]
    [InlineData(1, 1, "0100")]
    [InlineData(int.MaxValue, 5, "1fe0ffffff07")]
    public void EncodesBoundaries(int value, int prefixBits, string hex)
    {
        AssertEncodes(value, prefixBits, hex);
    }

    [Fact]
    public void KeepsTheFlagBitsAboveThePrefix()
    {
        var buffer = new byte[8];
        Assert.True(PrefixInteger.TryWrite(buffer, 1337, 5, prefixFlags: 0xe0, out int written));
        Assert.Equal("ff9a0a", Hex.Format(buffer.AsSpan(0, written)));

        // Flag bits in the input don't leak into the value.
        Assert.True(PrefixInteger.TryRead(Hex.Parse("ea"), 5, out int value, out _));
        Assert.Equal(10, value);
    }

    [Fact]
    public void RoundTripsEveryPrefixAcrossTheRange()
    {
        var buffer = new byte[8];
        int[] values = [0, 1, 2, 126, 127, 128, 254, 255, 256, 16383, 16384, 1 << 21, (1 << 28) - 1, 1 << 28, int.MaxValue - 1, int.MaxValue];
        for (int prefixBits = 1; prefixBits <= 8; prefixBits++)
        {
            foreach (int value in values)
            {
                int written = PrefixInteger.Write(buffer, value, prefixBits, 0);
                Assert.Equal(PrefixInteger.GetByteCount(value, prefixBits), written);
                Assert.Equal(OperationStatus.Done, PrefixInteger.Read(buffer.AsSpan(0, written), prefixBits, out int read, out int consumed));
                Assert.Equal((value, written), (read, consumed));
            }
        }
    }

    [Fact]
    public void ReportsTruncationAsNeedMoreData()
    {
        Assert.Equal(OperationStatus.NeedMoreData, PrefixInteger.Read([], 5, out _, out _));
        Assert.Equal(OperationStatus.NeedMoreData, PrefixInteger.Read(Hex.Parse("1f"), 5, out _, out _));
        Assert.Equal(OperationStatus.NeedMoreData, PrefixInteger.Read(Hex.Parse("1f9a"), 5, out _, out _));
    }

    [Theory]
    [InlineData("1fe1ffffff07")] // int.MaxValue + 1
    [InlineData("1fffffffffffff")] // keeps going past 32 bits
    [InlineData("1fe0ffffff17")] // a non-zero group at bit 32
    [InlineData("1f808080808080808080808000")] // 11 continuation bytes adding nothing (overlong)
    public void RejectsOverflowAsInvalidData(string hex)
    {
        Assert.Equal(OperationStatus.InvalidData, PrefixInteger.Read(Hex.Parse(hex), 5, out _, out _));
    }

    [Fact]
    public void AcceptsTenZeroContinuationBytes()
    {
        Assert.Equal(OperationStatus.Done, PrefixInteger.Read(Hex.Parse("1f 808080808080808080 00"), 5, out int value, out _));
        Assert.Equal(31, value);
    }

    [Fact]
    public void TryWriteRefusesAShortDestination()
    {
        Assert.False(PrefixInteger.TryWrite(new byte[2], 1337, 5, 0, out int written));
        Assert.Equal(0, written);
    }

    private static void AssertEncodes(int value, int prefixBits, string hex)
    {
        var buffer = new byte[8];
        Assert.True(PrefixInteger.TryWrite(buffer, value, prefixBits, 0, out int written));
        Assert.Equal(hex, Hex.Format(buffer.AsSpan(0, written)));
        Assert.Equal(written, PrefixInteger.GetByteCount(value, prefixBits));

        Assert.Equal(OperationStatus.Done, PrefixInteger.Read(Hex.Parse(hex), prefixBits, out int read, out int consumed));
        Assert.Equal(value, read);
        Assert.Equal(written, consumed);
    }
}
