using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Protocols.Tests.QuicRecovery;

/// <summary>ECN validation (RFC 9000 Section 13.4.2 and Appendix A.4), one ACK frame at a time.</summary>
public class EcnValidatorTests
{
    private const QuicPacketNumberSpace App = QuicPacketNumberSpace.ApplicationData;

    [Fact]
    public void AppendixA4_TestsTenPackets_ThenWaitsUnmarked()
    {
        var ecn = new EcnValidator();
        for (var i = 0; i < EcnValidator.TestingPackets - 1; i++)
        {
            Assert.Equal(EcnCodepoint.Ect0, ecn.Codepoint);
            Assert.Null(ecn.OnPacketSent(App, EcnCodepoint.Ect0));
        }

        var change = ecn.OnPacketSent(App, EcnCodepoint.Ect0);
        Assert.Equal(new EcnStateChange(EcnState.Testing, EcnState.Unknown, change!.Trigger), change);
        Assert.Equal(EcnCodepoint.NotEct, ecn.Codepoint);
    }

    [Fact]
    public void Rfc9000_13_4_2_1_MatchingCounts_MakeThePathCapable()
    {
        var ecn = Sent(10);
        var (change, congestion) = ecn.OnAckReceived(App, 10, largestIncreased: true, new QuicEcnCounts(10, 0, 0));
        Assert.Equal(EcnState.Capable, change!.New);
        Assert.False(congestion);
        Assert.Equal(EcnCodepoint.Ect0, ecn.Codepoint);
    }

    [Fact]
    public void Rfc9000_13_4_2_1_AckWithoutCounts_ForMarkedPackets_Fails()
    {
        // A bleaching path (or a peer that does not report) acknowledges marked packets with a plain ACK.
        var ecn = Sent(3);
        var (change, _) = ecn.OnAckReceived(App, 3, largestIncreased: true, counts: null);
        Assert.Equal(EcnState.Failed, change!.New);
        Assert.Contains("without ECN counts", change.Trigger);
        Assert.Equal(EcnCodepoint.NotEct, ecn.Codepoint);
    }

    [Fact]
    public void Rfc9000_13_4_2_1_FewerMarksCountedThanAcknowledged_Fails()
    {
        var ecn = Sent(5);
        Assert.Equal(EcnState.Capable, ecn.OnAckReceived(App, 2, largestIncreased: true, new QuicEcnCounts(1, 0, 1)).Change!.New);
        var (change, _) = ecn.OnAckReceived(App, 3, largestIncreased: true, new QuicEcnCounts(2, 0, 1));
        Assert.Equal(EcnState.Failed, change!.New);
        Assert.Contains("counted 1 ECT(0)/CE for 3", change.Trigger);
    }

    [Fact]
    public void Rfc9000_13_4_2_1_MoreMarksThanSent_OrEct1_Fails()
    {
        var remarked = Sent(2);
        Assert.Equal(EcnState.Failed, remarked.OnAckReceived(App, 2, true, new QuicEcnCounts(5, 0, 0)).Change!.New);

        var ect1 = Sent(2);
        Assert.Equal(EcnState.Failed, ect1.OnAckReceived(App, 2, true, new QuicEcnCounts(2, 1, 0)).Change!.New);
    }

    [Fact]
    public void Rfc9000_13_4_2_1_ReorderedAck_NeverFails()
    {
        var ecn = Sent(4);
        Assert.Null(ecn.OnAckReceived(App, 2, largestIncreased: false, counts: null).Change);
        Assert.Equal(EcnState.Testing, ecn.State);
    }

    [Fact]
    public void Rfc9000_13_4_2_1_CountsGoingDown_Fail()
    {
        var ecn = Sent(4);
        ecn.OnAckReceived(App, 2, true, new QuicEcnCounts(2, 0, 0));
        Assert.Equal(EcnState.Failed, ecn.OnAckReceived(App, 2, true, new QuicEcnCounts(1, 0, 0)).Change!.New);
    }

    [Fact]
    public void Rfc9002_7_1_MoreCe_IsCongestion_OnlyWhenItIncreases()
    {
        var ecn = Sent(6);
        Assert.True(ecn.OnAckReceived(App, 2, true, new QuicEcnCounts(1, 0, 1)).CongestionExperienced);
        Assert.False(ecn.OnAckReceived(App, 2, true, new QuicEcnCounts(3, 0, 1)).CongestionExperienced);
        Assert.True(ecn.OnAckReceived(App, 2, true, new QuicEcnCounts(4, 0, 2)).CongestionExperienced);
        Assert.Equal(2UL, ecn.CeReported);
        Assert.Equal(EcnState.Capable, ecn.State);
    }

    [Fact]
    public void AppendixA4_AllTestingPacketsLost_Fails()
    {
        var ecn = Sent(EcnValidator.TestingPackets);
        Assert.Equal(EcnState.Unknown, ecn.State);
        Assert.Null(ecn.OnPacketsLost(4));
        Assert.Equal(EcnState.Failed, ecn.OnPacketsLost(6)!.New);
    }

    [Fact]
    public void SomeTestingPacketsAcknowledged_LaterLossesDoNotFail()
    {
        var ecn = Sent(EcnValidator.TestingPackets);
        Assert.Equal(EcnState.Capable, ecn.OnAckReceived(App, 1, true, new QuicEcnCounts(1, 0, 0)).Change!.New);
        Assert.Null(ecn.OnPacketsLost(9));
        Assert.Equal(EcnState.Capable, ecn.State);
    }

    [Fact]
    public void Counts_ArePerPacketNumberSpace()
    {
        var ecn = new EcnValidator();
        ecn.OnPacketSent(App, EcnCodepoint.Ect0);
        // Counts of the Handshake space for packets never marked there: more marks than were sent in that space.
        Assert.Equal(EcnState.Failed, ecn.OnAckReceived(QuicPacketNumberSpace.Handshake, 0, true, new QuicEcnCounts(1, 0, 0)).Change!.New);
    }

    [Fact]
    public void Rfc9002_B7_CongestionExperienced_ReducesOncePerRoundTrip()
    {
        foreach (var controller in new ICongestionController[] { new NewRenoCongestionController(1200), new CubicCongestionController(1200, new RttEstimator()) })
        {
            var initial = controller.CongestionWindow;
            controller.OnCongestionExperienced(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));
            var reduced = controller.CongestionWindow;
            Assert.True(reduced < initial, controller.GetType().Name);

            // A second report for a packet sent before recovery began is the same event.
            controller.OnCongestionExperienced(TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(60));
            Assert.Equal(reduced, controller.CongestionWindow);

            // One sent after recovery began is a new event.
            controller.OnCongestionExperienced(TimeSpan.FromMilliseconds(55), TimeSpan.FromMilliseconds(100));
            Assert.True(controller.CongestionWindow < reduced || controller.CongestionWindow == 2 * 1200, controller.GetType().Name);
            Assert.Equal(0, controller.BytesInFlight);
        }
    }

    private static EcnValidator Sent(int packets)
    {
        var ecn = new EcnValidator();
        for (var i = 0; i < packets; i++)
        {
            ecn.OnPacketSent(App, EcnCodepoint.Ect0);
        }

        return ecn;
    }
}
