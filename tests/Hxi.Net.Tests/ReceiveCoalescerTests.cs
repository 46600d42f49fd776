using Hxi.Net.Quic;

namespace Hxi.Net.Tests;

/// <summary>When the client's driver pauses to let datagrams gather: a fast bulk flow only, and never past a timer.</summary>
public sealed class ReceiveCoalescerTests
{
    private static readonly TimeSpan Round = TimeSpan.FromMicroseconds(100);

    [Fact]
    public void FastBulkFlowOfSparseRounds_Pauses()
    {
        var coalescer = new ReceiveCoalescer();

        // 2 full datagrams every 100 µs: 20 per millisecond, one wake-up each time.
        var pauses = Rounds(coalescer, count: 40, datagrams: 2, bytesEach: 1300);

        // The rate is known once its 2 ms window has passed (round 20); from then on every round pauses.
        Assert.All(pauses[..20], pause => Assert.Equal(TimeSpan.Zero, pause));
        Assert.All(pauses[21..], pause => Assert.Equal(ReceiveCoalescer.Pause, pause));
    }

    [Fact]
    public void SlowFlow_NeverPauses()
    {
        // 1 full datagram every 100 µs is 10 per millisecond: a pause would gather 2 or 3 and delay our ACKs for it.
        var pauses = Rounds(new ReceiveCoalescer(), count: 100, datagrams: 1, bytesEach: 1300);

        Assert.All(pauses, pause => Assert.Equal(TimeSpan.Zero, pause));
    }

    [Fact]
    public void SmallDatagrams_NeverPause()
    {
        // An upload's ACKs: many, fast, and small; waiting for them would slow our own sending.
        var pauses = Rounds(new ReceiveCoalescer(), count: 100, datagrams: 4, bytesEach: 60);

        Assert.All(pauses, pause => Assert.Equal(TimeSpan.Zero, pause));
    }

    [Fact]
    public void FullBatches_DoNotPause()
    {
        var pauses = Rounds(new ReceiveCoalescer(), count: 100, datagrams: ReceiveCoalescer.SparseRound, bytesEach: 1300);

        Assert.All(pauses, pause => Assert.Equal(TimeSpan.Zero, pause));
    }

    [Fact]
    public void ARoundWithNothing_EndsTheBulkFlow()
    {
        var coalescer = new ReceiveCoalescer();
        Rounds(coalescer, count: 40, datagrams: 2, bytesEach: 1300);
        var now = Round * 40;

        Assert.Equal(TimeSpan.Zero, coalescer.AfterRound(0, 0, now, nextTimeout: null));
        for (var round = 1; round < ReceiveCoalescer.BulkRounds; round++)
        {
            Assert.Equal(TimeSpan.Zero, coalescer.AfterRound(2, 2600, now + (Round * round), nextTimeout: null));
        }

        Assert.Equal(ReceiveCoalescer.Pause, coalescer.AfterRound(2, 2600, now + (Round * ReceiveCoalescer.BulkRounds), nextTimeout: null));
    }

    [Fact]
    public void ATimerDueSooner_ShortensThePause()
    {
        var coalescer = new ReceiveCoalescer();
        Rounds(coalescer, count: 40, datagrams: 2, bytesEach: 1300);
        var now = Round * 40;

        var shortened = coalescer.AfterRound(2, 2600, now, nextTimeout: now + TimeSpan.FromMicroseconds(80));
        var overdue = coalescer.AfterRound(2, 2600, now + Round, nextTimeout: now);

        Assert.Equal(TimeSpan.FromMicroseconds(80), shortened);
        Assert.Equal(TimeSpan.Zero, overdue);
    }

    private static TimeSpan[] Rounds(ReceiveCoalescer coalescer, int count, int datagrams, int bytesEach)
    {
        var pauses = new TimeSpan[count];
        for (var round = 0; round < count; round++)
        {
            pauses[round] = coalescer.AfterRound(datagrams, datagrams * bytesEach, Round * round, nextTimeout: null);
        }

        return pauses;
    }
}
