using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Protocols.Tests.QuicRecovery;

/// <summary>
/// The CUBIC window curve (RFC 9438) on a virtual clock: a sender that fills the window each round trip and has every
/// packet acknowledged one RTT later, with the losses the test places.
/// </summary>
public class CubicCongestionControllerTests
{
    private const int Segment = 1200;

    private long _packetNumber;

    [Fact]
    public void SlowStart_GrowsByEveryAcknowledgedByte_AsNewReno()
    {
        var (cubic, _) = Controller(TimeSpan.FromMilliseconds(100));
        Assert.Equal(10 * Segment, cubic.CongestionWindow);
        Round(cubic, TimeSpan.Zero, TimeSpan.FromMilliseconds(100), packets: 10);
        Assert.Equal(20 * Segment, cubic.CongestionWindow);
        Assert.Equal(0, cubic.BytesInFlight);
    }

    [Fact]
    public void Rfc9438_4_6_ALossMultipliesTheWindowByBeta_AndRemembersWmax()
    {
        var (cubic, _) = Controller(TimeSpan.FromMilliseconds(100));
        GrowTo(cubic, 100);
        Lose(cubic, sentAt: Seconds(1), now: Seconds(1.1));
        Assert.Equal(100 * Segment, cubic.WindowMax);
        Assert.Equal(70 * Segment, cubic.CongestionWindow);
        Assert.Equal(70 * Segment, cubic.SlowStartThreshold);

        // A second loss from the same flight is the same congestion event (RFC 9002 7.3.2): no further cut.
        Lose(cubic, sentAt: Seconds(1.05), now: Seconds(1.15));
        Assert.Equal(70 * Segment, cubic.CongestionWindow);
    }

    [Fact]
    public void Rfc9438_4_2_CongestionAvoidance_IsConcaveUpToWmaxAtK_ThenConvex()
    {
        var rtt = TimeSpan.FromMilliseconds(100);
        var (cubic, _) = Controller(rtt);
        GrowTo(cubic, 100);
        Lose(cubic, sentAt: Seconds(1), now: Seconds(1.1));

        // Round trips from just after the loss: the window sampled once per RTT.
        var start = Seconds(1.2);
        var windows = new List<long>();
        for (var now = start; now < start + Seconds(9); now += rtt)
        {
            Round(cubic, now, rtt, (int)(cubic.CongestionWindow / Segment));
            windows.Add(cubic.CongestionWindow);
        }

        // K = cbrt(W_max (1 - beta) / C) = cbrt(100 * 0.3 / 0.4) = 4.22 s (Section 4.2).
        Assert.Equal(Math.Cbrt(75), cubic.K, 3);
        var atK = windows[(int)Math.Round(cubic.K / rtt.TotalSeconds)];
        Assert.InRange(atK, 95 * Segment, 105 * Segment);

        // Concave before K (the first second grows more than the second before K), convex after (more each second).
        long Growth(double from, double to) => windows[(int)(to * 10)] - windows[(int)(from * 10)];
        Assert.True(Growth(0, 1) > Growth(3, 4), $"{Growth(0, 1)} then {Growth(3, 4)}: not concave");
        Assert.True(Growth(4, 5) < Growth(6, 7) && Growth(6, 7) < Growth(7, 8), $"{Growth(4, 5)}, {Growth(6, 7)}, {Growth(7, 8)}: not convex");
        Assert.True(windows[^1] > 120 * Segment, $"after 9 s the window is {windows[^1] / Segment} segments");
        Assert.True(windows.Zip(windows.Skip(1)).All(pair => pair.Second >= pair.First), "the window shrank without a loss");
    }

    [Fact]
    public void Rfc9438_4_2_TheWindowTracksTheCurveItself()
    {
        var rtt = TimeSpan.FromMilliseconds(100);
        var (cubic, _) = Controller(rtt);
        GrowTo(cubic, 100);
        Lose(cubic, sentAt: Seconds(1), now: Seconds(1.1));
        var start = Seconds(1.2);
        for (var now = start; now < start + Seconds(2); now += rtt)
        {
            Round(cubic, now, rtt, (int)(cubic.CongestionWindow / Segment));
        }

        // Two seconds in (the epoch began at the first ACK, one RTT after start), aiming one RTT ahead: within 3%.
        var expected = cubic.CubicWindow(2.0);
        Assert.InRange(cubic.CongestionWindow, expected * 0.97, expected * 1.03);
    }

    [Fact]
    public void Rfc9438_4_3_OnAShortRtt_TheRenoFriendlyEstimateLeads()
    {
        // At 10 ms a Reno flow gains 0.53 segments per RTT (53 per second) after the cut: faster than the cubic curve
        // near its plateau, so the window is W_est's, above W_cubic(t).
        var rtt = TimeSpan.FromMilliseconds(10);
        var (cubic, _) = Controller(rtt);
        GrowTo(cubic, 100);
        Lose(cubic, sentAt: Seconds(1), now: Seconds(1.01));
        var start = Seconds(1.02);
        for (var now = start; now < start + Seconds(0.5); now += rtt)
        {
            Round(cubic, now, rtt, (int)(cubic.CongestionWindow / Segment));
        }

        Assert.True(cubic.CongestionWindow > cubic.CubicWindow(0.5) + (5 * Segment),
            $"window {cubic.CongestionWindow / Segment} segments, W_cubic {cubic.CubicWindow(0.5) / Segment:0.0}");
        // 49 RTTs at alpha 0.53: about 70 + 26 segments.
        Assert.InRange(cubic.CongestionWindow, 90 * Segment, 102 * Segment);
    }

    [Fact]
    public void Rfc9438_4_7_FastConvergence_LowersWmax_WhenALossComesBelowIt()
    {
        var (cubic, _) = Controller(TimeSpan.FromMilliseconds(100));
        GrowTo(cubic, 100);
        Lose(cubic, sentAt: Seconds(1), now: Seconds(1.1));
        Lose(cubic, sentAt: Seconds(1.2), now: Seconds(1.3));
        // The window (70) fell short of W_max (100): W_max = 70 * (1 + 0.7) / 2 = 59.5 segments, window 70 * 0.7.
        Assert.Equal(59.5 * Segment, cubic.WindowMax, 3);
        Assert.Equal(49 * Segment, cubic.CongestionWindow);
    }

    [Fact]
    public void PersistentCongestion_FallsToTheMinimumWindow()
    {
        var (cubic, _) = Controller(TimeSpan.FromMilliseconds(100));
        GrowTo(cubic, 100);
        var lost = Send(cubic, Seconds(1), 1);
        cubic.OnPacketsLost(lost, Seconds(3), persistentCongestion: true);
        Assert.Equal(2 * Segment, cubic.CongestionWindow);
        Assert.Equal(70 * Segment, cubic.SlowStartThreshold);
    }

    [Fact]
    public void Selection_ByName()
    {
        Assert.IsType<CubicCongestionController>(CongestionControllers.Create(CongestionControl.Cubic, Segment, new RttEstimator()));
        Assert.IsType<NewRenoCongestionController>(CongestionControllers.Create(CongestionControl.NewReno, Segment, new RttEstimator()));
    }

    private static (CubicCongestionController Cubic, RttEstimator Rtt) Controller(TimeSpan roundTrip)
    {
        var rtt = new RttEstimator();
        rtt.Update(roundTrip, TimeSpan.Zero, handshakeConfirmed: true, TimeSpan.FromMilliseconds(25));
        return (new CubicCongestionController(Segment, rtt), rtt);
    }

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>Slow start up to <paramref name="segments"/> (acks at t = 0, before any loss).</summary>
    private void GrowTo(CubicCongestionController cubic, int segments)
    {
        var packets = Send(cubic, TimeSpan.Zero, segments - (int)(cubic.CongestionWindow / Segment));
        cubic.OnPacketsAcked(packets, TimeSpan.FromMilliseconds(1));
        Assert.Equal(segments * Segment, cubic.CongestionWindow);
    }

    private void Lose(CubicCongestionController cubic, TimeSpan sentAt, TimeSpan now) =>
        cubic.OnPacketsLost(Send(cubic, sentAt, 1), now, persistentCongestion: false);

    /// <summary>One round trip: <paramref name="packets"/> full datagrams sent at <paramref name="now"/>, all acknowledged one RTT later.</summary>
    private void Round(CubicCongestionController cubic, TimeSpan now, TimeSpan rtt, int packets)
    {
        var sent = Send(cubic, now, packets);
        // Acks come in one by one over the round trip, as they would from a paced sender.
        for (var i = 0; i < sent.Count; i++)
        {
            cubic.OnPacketsAcked([sent[i]], now + rtt + (rtt * i / sent.Count));
        }
    }

    private List<SentPacket> Send(CubicCongestionController cubic, TimeSpan at, int count)
    {
        var packets = new List<SentPacket>();
        for (var i = 0; i < count; i++)
        {
            var packet = new SentPacket(_packetNumber++, at, Segment, AckEliciting: true, InFlight: true);
            cubic.OnPacketSent(packet);
            packets.Add(packet);
        }

        return packets;
    }
}
