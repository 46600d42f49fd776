using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Protocols.Tests.QuicRecovery;

/// <summary>
/// Reordering mistaken for loss (RFC 9002 Section 6.1): a packet declared lost and acknowledged afterwards raises the
/// threshold that declared it, and a congestion event made only of such packets is undone (RFC 9438 Section 4.9).
/// </summary>
public class SpuriousLossTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private const QuicPacketNumberSpace App = QuicPacketNumberSpace.ApplicationData;

    [Fact]
    public void Rfc9002_6_1_1_APacketDeclaredLostThenAcknowledged_RaisesThePacketThresholdPastTheReorderingSeen()
    {
        var (detector, _) = Make(new NewRenoCongestionController());
        SendAll(detector, count: 11, at: 0);

        // 5 arrives after 6..10: five packets of reordering, two more than kPacketThreshold tolerates.
        var first = detector.OnAckReceived(App, [(6, 10)], TimeSpan.Zero, 10 * Ms);
        Assert.Contains(first.Lost, p => p.PacketNumber == 5);
        var late = detector.OnAckReceived(App, [(5, 10)], TimeSpan.Zero, 11 * Ms);

        Assert.Equal([5L], late.LateAcked.Select(p => p.PacketNumber));
        Assert.Empty(late.Acked);
        Assert.Equal(1, detector.SpuriousLosses);
        Assert.Equal(6, detector.ReorderingThreshold);

        // The same reordering again is tolerated now: 11 is five behind 16 and not declared lost.
        SendAll(detector, count: 7, at: 12, first: 11);
        var next = detector.OnAckReceived(App, [(12, 16)], TimeSpan.Zero, 13 * Ms);
        Assert.DoesNotContain(next.Lost, p => p.PacketNumber == 11);
    }

    [Fact]
    public void Rfc9002_6_1_1_TheThresholdStaysWhereItIs_WhenLostPacketsReallyWereLost()
    {
        var (detector, _) = Make(new NewRenoCongestionController());
        SendAll(detector, count: 10, at: 0);
        var outcome = detector.OnAckReceived(App, [(6, 9)], TimeSpan.Zero, 10 * Ms);
        Assert.NotEmpty(outcome.Lost);
        detector.OnAckReceived(App, [(6, 9)], TimeSpan.Zero, 11 * Ms);

        Assert.Equal(0, detector.SpuriousLosses);
        Assert.Equal(LossDetector.PacketThreshold, detector.ReorderingThreshold);
    }

    [Fact]
    public void Rfc9002_6_1_2_APacketLostByTheTimeThresholdThenAcknowledged_RaisesTheTimeThreshold()
    {
        var (detector, _) = Make(new NewRenoCongestionController());
        detector.OnPacketSent(App, new SentPacket(0, TimeSpan.Zero, 1200, true, true), TimeSpan.Zero);
        detector.OnPacketSent(App, new SentPacket(1, Ms, 1200, true, true), Ms);
        detector.OnAckReceived(App, [(1, 1)], TimeSpan.Zero, 50 * Ms);
        var lost = detector.OnTimeout(detector.Timer!.Value);
        Assert.Equal([0L], lost.Lost.Select(p => p.PacketNumber));
        Assert.Equal(9.0 / 8, detector.TimeThreshold);

        detector.OnAckReceived(App, [(0, 1)], TimeSpan.Zero, 60 * Ms);

        Assert.Equal(1, detector.SpuriousLosses);
        Assert.Equal(10.0 / 8, detector.TimeThreshold);
        Assert.Equal(LossDetector.PacketThreshold, detector.ReorderingThreshold);
    }

    [Fact]
    public void Rfc9438_4_9_ACubicCongestionEventOfOnlySpuriousLosses_IsUndone()
    {
        var rtt = new RttEstimator();
        var cubic = new CubicCongestionController(1200, rtt);
        var (detector, _) = Make(cubic, rtt);
        SendAll(detector, count: 10, at: 0);
        var window = cubic.CongestionWindow;

        detector.OnAckReceived(App, [(5, 9)], TimeSpan.Zero, 10 * Ms);
        Assert.Equal((long)Math.Round(window * CubicCongestionController.Beta), cubic.CongestionWindow);
        Assert.Equal(1, cubic.CongestionEvents);

        // 0 to 4 were declared lost together; only when all five turn up is the event undone.
        detector.OnAckReceived(App, [(0, 1), (5, 9)], TimeSpan.Zero, 11 * Ms);
        Assert.True(cubic.CongestionWindow < window);
        detector.OnAckReceived(App, [(0, 9)], TimeSpan.Zero, 12 * Ms);

        Assert.Equal(5, detector.SpuriousLosses);
        Assert.Equal(window, cubic.CongestionWindow);
        Assert.Equal(long.MaxValue, cubic.SlowStartThreshold);
        Assert.False(cubic.InRecovery(11 * Ms));
    }

    [Fact]
    public void Rfc9438_4_9_AnEventWithOneRealLoss_IsNotUndone()
    {
        var congestion = new NewRenoCongestionController();
        var (detector, _) = Make(congestion);
        SendAll(detector, count: 10, at: 0);
        var window = congestion.CongestionWindow;
        detector.OnAckReceived(App, [(5, 9)], TimeSpan.Zero, 10 * Ms);
        var reduced = congestion.CongestionWindow;

        // 0 to 4 were declared lost together; 0 and 1 arrive late, 2, 3 and 4 never do.
        detector.OnAckReceived(App, [(0, 1), (5, 9)], TimeSpan.Zero, 11 * Ms);

        Assert.Equal(2, detector.SpuriousLosses);
        Assert.True(reduced < window);
        Assert.Equal(reduced, congestion.CongestionWindow);
    }

    [Fact]
    public void Rfc9002_6_1_ALossLongForgotten_IsNotCalledSpurious()
    {
        var (detector, _) = Make(new NewRenoCongestionController());
        SendAll(detector, count: 5, at: 0);
        detector.OnAckReceived(App, [(4, 4)], TimeSpan.Zero, 10 * Ms);

        // Far more than three PTOs later, an ACK naming packet 0 no longer counts as news about reordering.
        var outcome = detector.OnAckReceived(App, [(0, 4)], TimeSpan.Zero, 60_000 * Ms);

        Assert.Empty(outcome.LateAcked);
        Assert.Equal(0, detector.SpuriousLosses);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rfc9002_B_8_LostAckOnlyPackets_AreNoCongestionEvent(bool cubic)
    {
        var rtt = new RttEstimator();
        ICongestionController congestion = cubic ? new CubicCongestionController(1200, rtt) : new NewRenoCongestionController();
        var (detector, _) = Make(congestion, rtt);
        var window = congestion.CongestionWindow;
        // A receiver's packets: ACK frames only, neither ack-eliciting nor in flight.
        for (var pn = 0; pn < 6; pn++)
        {
            detector.OnPacketSent(App, new SentPacket(pn, TimeSpan.Zero, 50, AckEliciting: false, InFlight: false), TimeSpan.Zero);
        }

        var outcome = detector.OnAckReceived(App, [(4, 5)], TimeSpan.Zero, 10 * Ms);

        Assert.Equal([0L, 1L, 2L], outcome.Lost.Select(p => p.PacketNumber));
        Assert.Equal(0, congestion.CongestionEvents);
        Assert.Equal(window, congestion.CongestionWindow);
    }

    private static (LossDetector Detector, RttEstimator Rtt) Make(ICongestionController congestion, RttEstimator? rtt = null)
    {
        rtt ??= new RttEstimator();
        return (new LossDetector(isServer: false, rtt, congestion) { HandshakeConfirmed = true }, rtt);
    }

    private static void SendAll(LossDetector detector, int count, int at, int first = 0)
    {
        for (var pn = first; pn < first + count; pn++)
        {
            detector.OnPacketSent(App, new SentPacket(pn, at * Ms, 1200, true, true), at * Ms);
        }
    }
}
