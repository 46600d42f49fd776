namespace Hxi.Server.Tests;

public sealed class DeterministicBytesTests
{
    [Fact]
    public void NextUInt64_MatchesSplitMix64ReferenceForSeedZero()
    {
        // First output of Vigna's splitmix64.c with x = 0.
        Assert.Equal(0xE220A8397B1DCDAFUL, new DeterministicBytes(0).NextUInt64());
    }

    [Fact]
    public void Fill_IsLittleEndianOutputs()
    {
        var expected = BitConverter.GetBytes(new DeterministicBytes(16).NextUInt64());
        if (!BitConverter.IsLittleEndian)
        {
            Array.Reverse(expected);
        }

        Assert.Equal(expected, DeterministicBytes.ForLength(16)[..8]);
    }

    [Fact]
    public void Fill_GivesTheSameStreamWhereverTheCallsSplitIt()
    {
        var whole = DeterministicBytes.ForLength(1000);
        var generator = new DeterministicBytes(1000);
        var pieces = new byte[1000];
        var offset = 0;
        foreach (var size in new[] { 1, 3, 8, 13, 500, 475 })
        {
            generator.Fill(pieces.AsSpan(offset, size));
            offset += size;
        }

        Assert.Equal(whole, pieces);
    }
}
