using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Protocols.Tests.QuicRecovery;

/// <summary>RFC 9000 Section 9.4: packets sent on the old path do not contribute to the new path's congestion control or RTT.</summary>
public sealed class NewPathRecoveryTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private const QuicPacketNumberSpace App = QuicPacketNumberSpace.ApplicationData;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rfc9000_9_4_AcknowledgmentsOfOldPathPackets_DoNotGrowTheNewPathsWindow_NorGiveAnRttSample(bool cubic)
    {
        var (detector, congestion, rtt) = Make(cubic);
        for (var pn = 0; pn < 8; pn++)
        {
            detector.OnPacketSent(App, new SentPacket(pn, 10 * Ms, 1200, true, true), 10 * Ms);
        }

        congestion.ResetForNewPath(20 * Ms);
        rtt.ResetForNewPath();
        detector.PathStart = 20 * Ms;
        var window = congestion.CongestionWindow;

        detector.OnAckReceived(App, [(0, 7)], TimeSpan.Zero, 60 * Ms);

        Assert.Equal(window, congestion.CongestionWindow);
        Assert.False(rtt.HasSample);
        Assert.Equal(0, congestion.BytesInFlight);

        // A packet of the new path counts as usual.
        detector.OnPacketSent(App, new SentPacket(8, 61 * Ms, 1200, true, true), 61 * Ms);
        detector.OnAckReceived(App, [(8, 8)], TimeSpan.Zero, 71 * Ms);
        Assert.Equal(window + 1200, congestion.CongestionWindow);
        Assert.Equal(10 * Ms, rtt.LatestRtt);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rfc9000_9_4_LossesOfOldPathPackets_AreNoCongestionEventOnTheNewPath(bool cubic)
    {
        var (detector, congestion, _) = Make(cubic);
        for (var pn = 0; pn < 8; pn++)
        {
            detector.OnPacketSent(App, new SentPacket(pn, 10 * Ms, 1200, true, true), 10 * Ms);
        }

        congestion.ResetForNewPath(20 * Ms);
        detector.PathStart = 20 * Ms;
        var window = congestion.CongestionWindow;
        detector.OnPacketSent(App, new SentPacket(8, 21 * Ms, 1200, true, true), 21 * Ms);

        // Packets 0..4 are lost by the packet threshold once 8 is acknowledged.
        var outcome = detector.OnAckReceived(App, [(5, 8)], TimeSpan.Zero, 40 * Ms);

        Assert.NotEmpty(outcome.Lost);
        Assert.Equal(0, congestion.CongestionEvents);
        Assert.True(congestion.CongestionWindow >= window);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rfc9000_9_4_ASnapshotTakenBeforeTheReset_BringsTheOldPathsWindowBack(bool cubic)
    {
        var (detector, congestion, rtt) = Make(cubic);
        for (var pn = 0; pn < 20; pn++)
        {
            detector.OnPacketSent(App, new SentPacket(pn, 10 * Ms, 1200, true, true), 10 * Ms);
        }

        detector.OnAckReceived(App, [(0, 19)], TimeSpan.Zero, 30 * Ms);
        var (window, smoothed) = (congestion.CongestionWindow, rtt.SmoothedRtt);
        var saved = (congestion.Snapshot(), rtt.Snapshot());

        congestion.ResetForNewPath(40 * Ms);
        rtt.ResetForNewPath();
        Assert.NotEqual(window, congestion.CongestionWindow);
        congestion.Restore(saved.Item1);
        rtt.Restore(saved.Item2);

        Assert.Equal(window, congestion.CongestionWindow);
        Assert.Equal(smoothed, rtt.SmoothedRtt);
        Assert.True(rtt.HasSample);
    }

    private static (LossDetector Detector, ICongestionController Congestion, RttEstimator Rtt) Make(bool cubic)
    {
        var rtt = new RttEstimator();
        ICongestionController congestion = cubic ? new CubicCongestionController(1200, rtt) : new NewRenoCongestionController();
        return (new LossDetector(isServer: false, rtt, congestion) { HandshakeConfirmed = true }, congestion, rtt);
    }
}
