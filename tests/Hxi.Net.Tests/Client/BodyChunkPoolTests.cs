using Hxi.Net.Client;

namespace Hxi.Net.Tests.Client;

public sealed class BodyChunkPoolTests
{
    [Theory]
    [InlineData(1, 2048)]
    [InlineData(1200, 2048)]
    [InlineData(2048, 2048)]
    [InlineData(2049, 4096)]
    [InlineData(16_384, 16_384)]
    [InlineData(65_536, 65_536)]
    public void Rent_GivesTheSmallestSizeThatHoldsTheChunk(int length, int expected)
    {
        Assert.Equal(expected, new BodyChunkPool().Rent(length).Length);
    }

    [Fact]
    public void AChunkAboveTheLargestSize_IsAnArrayOfItsOwn_AndIsNotKeptWhenReturned()
    {
        var pool = new BodyChunkPool();
        var big = pool.Rent(70_000);
        Assert.Equal(70_000, big.Length);

        pool.Return(big);
        Assert.NotSame(big, pool.Rent(70_000));
    }

    [Fact]
    public void AReturnedArray_IsRentedAgain()
    {
        var pool = new BodyChunkPool();
        var first = pool.Rent(16_000);
        pool.Return(first);

        Assert.Same(first, pool.Rent(10_000));
        Assert.NotSame(first, pool.Rent(10_000));
    }

    [Fact]
    public void AnArrayOfAPoolSizeFromElsewhere_IsTakenIn_AndOneOfAnotherSizeIsNot()
    {
        var pool = new BodyChunkPool();
        var adopted = new byte[4096];
        var odd = new byte[3000];
        pool.Return(odd);
        pool.Return(adopted);

        Assert.Same(adopted, pool.Rent(3000));
        Assert.NotSame(odd, pool.Rent(3000));
    }

    [Fact]
    public void ItKeepsAtMostFourMegabytesOfOneSize()
    {
        var pool = new BodyChunkPool();
        var arrays = Enumerable.Range(0, 300).Select(_ => pool.Rent(16_384)).ToList();
        foreach (var array in arrays)
        {
            pool.Return(array);
        }

        var again = Enumerable.Range(0, 300).Select(_ => pool.Rent(16_384)).ToList();
        Assert.Equal(256, again.Count(a => arrays.Contains(a)));
    }
}
