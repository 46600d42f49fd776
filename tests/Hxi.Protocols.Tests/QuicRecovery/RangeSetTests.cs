using Hxi.Protocols.Quic.Streams;

namespace Hxi.Protocols.Tests.QuicRecovery;

public class RangeSetTests
{
    [Fact]
    public void Add_MergesTouchingAndOverlappingRanges()
    {
        var set = new RangeSet();
        set.Add(10, 20);
        set.Add(30, 40);
        set.Add(20, 25);
        set.Add(35, 50);
        Assert.Equal([(10L, 25L), (30L, 50L)], set.Ranges);
        set.Add(0, 100);
        Assert.Equal([(0L, 100L)], set.Ranges);
    }

    [Fact]
    public void Remove_SplitsRanges()
    {
        var set = new RangeSet();
        set.Add(0, 100);
        set.Remove(10, 20);
        set.Remove(50, 200);
        Assert.Equal([(0L, 10L), (20L, 50L)], set.Ranges);
        Assert.True(set.Contains(9));
        Assert.False(set.Contains(10));
        Assert.True(set.ContainsAll(20, 50));
        Assert.False(set.ContainsAll(5, 25));
    }

    [Fact]
    public void RandomOperations_AgreeWithABitmap()
    {
        var random = new Random(42);
        var set = new RangeSet();
        var bits = new bool[500];
        for (var i = 0; i < 2000; i++)
        {
            var start = random.Next(500);
            var end = Math.Min(500, start + random.Next(1, 40));
            var add = random.Next(3) > 0;
            if (add)
            {
                set.Add(start, end);
            }
            else
            {
                set.Remove(start, end);
            }

            for (var b = start; b < end; b++)
            {
                bits[b] = add;
            }
        }

        for (var b = 0; b < 500; b++)
        {
            Assert.Equal(bits[b], set.Contains(b));
        }

        for (var r = 1; r < set.Count; r++)
        {
            Assert.True(set.Ranges[r - 1].End < set.Ranges[r].Start, "ranges stay sorted, disjoint and merged");
        }
    }
}
