using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Quic;

public class QuicVarintTests
{
    [Theory]
    [InlineData("c2197c5eff14e88c", 151_288_809_941_952_652UL)]
    [InlineData("9d7f3e7d", 494_878_333UL)]
    [InlineData("7bbd", 15_293UL)]
    [InlineData("25", 37UL)]
    [InlineData("4025", 37UL)]
    public void Rfc9000_A_1_SampleDecodings(string hex, ulong expected)
    {
        var bytes = Hex.Parse(hex);
        Assert.True(QuicVarint.TryRead(bytes, out ulong value, out int consumed));
        Assert.Equal(expected, value);
        Assert.Equal(bytes.Length, consumed);
    }

    [Theory]
    [InlineData("c2197c5eff14e88c", 151_288_809_941_952_652UL)]
    [InlineData("9d7f3e7d", 494_878_333UL)]
    [InlineData("7bbd", 15_293UL)]
    [InlineData("25", 37UL)]
    public void Rfc9000_A_1_SampleEncodings(string hex, ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        Assert.True(QuicVarint.TryWrite(buffer, value, out int written));
        Assert.Equal(hex, Hex.Format(buffer[..written]));
        Assert.Equal(written, QuicVarint.GetByteCount(value));
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(63UL, 1)]
    [InlineData(64UL, 2)]
    [InlineData(16_383UL, 2)]
    [InlineData(16_384UL, 4)]
    [InlineData(1_073_741_823UL, 4)]
    [InlineData(1_073_741_824UL, 8)]
    [InlineData(QuicVarint.MaxValue, 8)]
    public void Rfc9000_16_LengthBoundaries(ulong value, int length)
    {
        Span<byte> buffer = stackalloc byte[8];
        Assert.Equal(length, QuicVarint.GetByteCount(value));
        Assert.True(QuicVarint.TryWrite(buffer, value, out int written));
        Assert.Equal(length, written);
        Assert.True(QuicVarint.TryRead(buffer, out ulong back, out _));
        Assert.Equal(value, back);
    }

    [Fact]
    public void Rfc9000_16_ValuesFrom2To62AreRejected()
    {
        var buffer = new byte[8];
        Assert.Throws<ArgumentOutOfRangeException>(() => QuicVarint.TryWrite(buffer, QuicVarint.MaxValue + 1, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuicVarint.GetByteCount(ulong.MaxValue));
    }

    [Fact]
    public void Rfc9000_16_FixedLengthEncoding()
    {
        var buffer = new byte[8];
        Assert.True(QuicVarint.TryWrite(buffer, 37, 2, out int written));
        Assert.Equal("4025", Hex.Format(buffer.AsSpan(0, written)));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuicVarint.TryWrite(buffer, 16_384, 2, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuicVarint.TryWrite(buffer, 1, 3, out _));
    }

    [Fact]
    public void Rfc9000_16_TruncatedInputIsNotRead()
    {
        var bytes = Hex.Parse("c2197c5eff14e88c");
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(QuicVarint.TryRead(bytes.AsSpan(0, length), out _, out _));
        }

        Assert.False(QuicVarint.TryWrite(new byte[1], 64, out _));
    }
}
