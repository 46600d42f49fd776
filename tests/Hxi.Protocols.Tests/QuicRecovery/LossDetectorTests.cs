using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Protocols.Tests.QuicRecovery;

public class LossDetectorTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private readonly RttEstimator _rtt = new();
    private readonly NewRenoCongestionController _congestion = new();
    private readonly LossDetector _detector;

    public LossDetectorTests()
    {
        _detector = new LossDetector(isServer: false, _rtt, _congestion) { HandshakeConfirmed = true };
    }

    [Fact]
    public void Rfc9002_5_3_FirstSampleSetsSmoothedRttAndVariation()
    {
        Send(0, at: 0);
        _detector.OnAckReceived(QuicPacketNumberSpace.ApplicationData, [(0, 0)], TimeSpan.Zero, 100 * Ms);
        Assert.Equal(100 * Ms, _rtt.SmoothedRtt);
        Assert.Equal(50 * Ms, _rtt.RttVariation);
        Assert.Equal(100 * Ms, _rtt.MinRtt);
    }

    [Fact]
    public void Rfc9002_5_3_AckDelayIsSubtractedOnlyWhenPlausible()
    {
        var rtt = new RttEstimator();
        rtt.Update(100 * Ms, TimeSpan.Zero, true, 25 * Ms);
        rtt.Update(120 * Ms, 10 * Ms, true, 25 * Ms);
        // adjusted = 110: smoothed = 7/8*100 + 1/8*110.
        Assert.Equal(101.25, rtt.SmoothedRtt.TotalMilliseconds, 3);
        rtt.Update(130 * Ms, 100 * Ms, true, 25 * Ms);
        // ack delay capped at max_ack_delay (25): adjusted = 105.
        Assert.Equal((101.25 * 7 / 8) + (105.0 / 8), rtt.SmoothedRtt.TotalMilliseconds, 3);
    }

    [Fact]
    public void Rfc9002_6_1_1_PacketThreshold_DeclaresLossThreePacketsBehind()
    {
        // All sent at once, so only the packet threshold (not the time threshold) can declare loss.
        for (var pn = 0; pn < 5; pn++)
        {
            Send(pn, at: 0);
        }

        var outcome = _detector.OnAckReceived(QuicPacketNumberSpace.ApplicationData, [(3, 4)], TimeSpan.Zero, 10 * Ms);
        Assert.Equal([3L, 4L], outcome.Acked.Select(p => p.PacketNumber));
        Assert.Equal([0L, 1L], outcome.Lost.Select(p => p.PacketNumber));
        // Packet 2 is only two behind: a loss timer now waits for it.
        Assert.NotNull(_detector.Timer);
    }

    [Fact]
    public void Rfc9002_6_1_AWideAckRange_TakesOnlyThePacketsInsideIt_AndLossStopsAtTheLargestAcknowledged()
    {
        // Wider than what is outstanding, so the detector walks its packets rather than the range; 100 and 101 lie
        // past both the range and the largest acknowledged, so they are neither acknowledged nor lost.
        foreach (var pn in new[] { 0, 1, 2, 3, 4, 100, 101 })
        {
            Send(pn, at: 0);
        }

        var outcome = _detector.OnAckReceived(QuicPacketNumberSpace.ApplicationData, [(40, 60), (2, 4)], TimeSpan.Zero, 10 * Ms);
        Assert.Equal([2L, 3L, 4L], outcome.Acked.Select(p => p.PacketNumber));
        Assert.Equal([0L, 1L], outcome.Lost.Select(p => p.PacketNumber));
        Assert.Equal([100L, 101L], _detector.Unacknowledged(QuicPacketNumberSpace.ApplicationData).Select(p => p.PacketNumber));
        Assert.True(_detector.HasAckElicitingInFlight(QuicPacketNumberSpace.ApplicationData));

        outcome = _detector.OnAckReceived(QuicPacketNumberSpace.ApplicationData, [(0, 1000)], TimeSpan.Zero, 11 * Ms);
        Assert.Equal([100L, 101L], outcome.Acked.Select(p => p.PacketNumber));
        Assert.Empty(outcome.Lost);
        Assert.False(_detector.HasAckElicitingInFlight(QuicPacketNumberSpace.ApplicationData));
    }

    [Fact]
    public void Rfc9002_6_1_2_TimeThreshold_FiresFromTheTimer()
    {
        Send(0, at: 0);
        Send(1, at: 1);
        _detector.OnAckReceived(QuicPacketNumberSpace.ApplicationData, [(1, 1)], TimeSpan.Zero, 50 * Ms);
        var timer = _detector.Timer!.Value;
        var timeout = _detector.OnTimeout(timer);
        Assert.Equal([0L], timeout.Lost.Select(p => p.PacketNumber));
        Assert.Null(timeout.ProbeSpace);
        Assert.Equal(1, _detector.PacketsLost);
    }

    [Fact]
    public void Rfc9002_6_2_ProbeTimeout_BacksOffExponentially()
    {
        Send(0, at: 0);
        var first = _detector.Timer!.Value;
        var probe = _detector.OnTimeout(first);
        Assert.Equal(QuicPacketNumberSpace.ApplicationData, probe.ProbeSpace);
        Assert.Equal(1, _detector.PtoCount);
        var second = _detector.Timer!.Value;
        Assert.True(second - TimeSpan.Zero > (first - TimeSpan.Zero) * 2 - Ms, "the second PTO waits twice as long");
    }

    [Fact]
    public void Rfc9002_6_2_2_1_ClientArmsAntiDeadlockTimer_BeforeAddressValidation()
    {
        var detector = new LossDetector(isServer: false, new RttEstimator(), new NewRenoCongestionController());
        detector.OnPacketSent(QuicPacketNumberSpace.Initial, new SentPacket(0, TimeSpan.Zero, 1200, true, true), TimeSpan.Zero);
        detector.OnAckReceived(QuicPacketNumberSpace.Initial, [(0, 0)], TimeSpan.Zero, 20 * Ms);
        // Nothing in flight, but the server may be stuck at its amplification limit: the timer stays armed.
        Assert.NotNull(detector.Timer);
        var timeout = detector.OnTimeout(detector.Timer!.Value);
        Assert.True(timeout.AntiDeadlock);
        Assert.Equal(QuicPacketNumberSpace.Initial, timeout.ProbeSpace);
    }

    [Fact]
    public void DiscardingASpace_RemovesItsBytesFromFlight()
    {
        var detector = new LossDetector(isServer: false, new RttEstimator(), _congestion);
        detector.OnPacketSent(QuicPacketNumberSpace.Initial, new SentPacket(0, TimeSpan.Zero, 1200, true, true), TimeSpan.Zero);
        Assert.Equal(1200, _congestion.BytesInFlight);
        detector.DiscardSpace(QuicPacketNumberSpace.Initial, TimeSpan.Zero);
        Assert.Equal(0, _congestion.BytesInFlight);
    }

    [Fact]
    public void Rfc9002_7_3_LossHalvesTheWindow_OncePerRecoveryPeriod()
    {
        var initial = _congestion.CongestionWindow;
        for (var pn = 0; pn < 8; pn++)
        {
            Send(pn, at: pn);
        }

        _detector.OnAckReceived(QuicPacketNumberSpace.ApplicationData, [(4, 4)], TimeSpan.Zero, 20 * Ms);
        Assert.Equal(initial / 2, _congestion.CongestionWindow);
        _detector.OnAckReceived(QuicPacketNumberSpace.ApplicationData, [(7, 7)], TimeSpan.Zero, 21 * Ms);
        Assert.Equal(initial / 2, _congestion.CongestionWindow);
    }

    [Fact]
    public void Rfc9002_7_3_1_SlowStartGrowsByAckedBytes()
    {
        var initial = _congestion.CongestionWindow;
        Send(0, at: 0);
        _detector.OnAckReceived(QuicPacketNumberSpace.ApplicationData, [(0, 0)], TimeSpan.Zero, 10 * Ms);
        Assert.Equal(initial + 1200, _congestion.CongestionWindow);
        Assert.Equal(0, _congestion.BytesInFlight);
    }

    private void Send(long pn, int at) =>
        _detector.OnPacketSent(QuicPacketNumberSpace.ApplicationData, new SentPacket(pn, at * Ms, 1200, true, true), at * Ms);
}
