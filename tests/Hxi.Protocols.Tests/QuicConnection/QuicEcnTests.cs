using System.Security.Cryptography;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Protocols.Tests.QuicConnection;

/// <summary>ECN on the in-memory pair (RFC 9000 Section 13.4, RFC 9002 Section 7.1): the path can clear, remark or set CE.</summary>
public class QuicEcnTests
{
    private static QuicConnectionOptions Marking(QuicConnectionOptions options) => options with { EcnMarking = true };

    [Fact]
    public void Rfc9000_13_4_PathKeepsTheMarks_BothSidesBecomeCapable_AndCountPerSpace()
    {
        var pair = new QuicPair(client: Marking, server: Marking);
        var seen = new List<EcnCodepoint>();
        pair.EcnPath = (ecn, toServer) =>
        {
            seen.Add(ecn);
            return ecn;
        };

        var body = Upload(pair, 200_000);

        Assert.Equal(EcnState.Capable, pair.Client.EcnState);
        Assert.Equal(EcnState.Capable, pair.Server.EcnState);
        Assert.Contains(EcnCodepoint.Ect0, seen);
        Assert.DoesNotContain(EcnCodepoint.Ce, seen);

        // Only 1-RTT packets are marked: the handshake spaces count nothing.
        Assert.Equal(0UL, pair.Server.EcnCountsReceived(QuicPacketNumberSpace.Initial).Ect0);
        Assert.Equal(0UL, pair.Server.EcnCountsReceived(QuicPacketNumberSpace.Handshake).Ect0);
        Assert.True(pair.Server.EcnCountsReceived(QuicPacketNumberSpace.ApplicationData).Ect0 >= 100, $"{pair.Server.EcnCountsReceived(QuicPacketNumberSpace.ApplicationData).Ect0}");
        Assert.Contains(pair.Trace, line => line.Contains("server Sent OneRtt", StringComparison.Ordinal) && line.Contains("ecn(ect0=", StringComparison.Ordinal));
        Assert.Equal(0UL, pair.Client.EcnCeReported);
        Assert.Equal(200_000, body);
    }

    [Fact]
    public void Rfc9000_13_4_2_1_BleachingPath_StopsMarking_AndTheTransferCompletes()
    {
        var pair = new QuicPair(client: Marking, server: Marking) { EcnPath = (_, _) => EcnCodepoint.NotEct };
        var marksAfterFailure = 0;
        var failed = false;
        pair.EcnPath = (ecn, _) =>
        {
            failed |= pair.Client.EcnState == EcnState.Failed && pair.Server.EcnState == EcnState.Failed;
            marksAfterFailure += failed && ecn != EcnCodepoint.NotEct ? 1 : 0;
            return EcnCodepoint.NotEct;
        };

        Assert.Equal(200_000, Upload(pair, 200_000));

        Assert.Equal(EcnState.Failed, pair.Client.EcnState);
        Assert.Equal(EcnState.Failed, pair.Server.EcnState);
        Assert.Equal(0, marksAfterFailure);
        Assert.False(pair.Client.IsTerminated);
        Assert.Contains(pair.Trace, line => line.Contains("client EcnStateChange", StringComparison.Ordinal) && line.Contains("without ECN counts", StringComparison.Ordinal));
        // Nothing marked arrived, so nothing is reported: plain ACK frames (type 0x02) only.
        Assert.DoesNotContain(pair.Trace, line => line.Contains("ecn(ect0=", StringComparison.Ordinal));
    }

    [Fact]
    public void Rfc9000_13_4_2_1_PathThatRemarksToEct0_FailsValidation_AndCountsEachProcessedPacketOnce()
    {
        // Every datagram to the client arrives ECT(0), the server's unmarked Initial and Handshake packets too; some twice.
        var pair = new QuicPair(toClient: new Link(Duplicate: 0.3), client: Marking, server: Marking, seed: 4)
        {
            EcnPath = (ecn, toServer) => toServer ? ecn : EcnCodepoint.Ect0,
        };

        Upload(pair, 50_000);

        Assert.Equal(EcnState.Failed, pair.Server.EcnState);
        Assert.Contains(pair.Trace, line => line.Contains("server EcnStateChange", StringComparison.Ordinal) && line.Contains("more marks than were sent", StringComparison.Ordinal));
        var initial = pair.Client.EcnCountsReceived(QuicPacketNumberSpace.Initial).Ect0;
        var handshake = pair.Client.EcnCountsReceived(QuicPacketNumberSpace.Handshake).Ect0;
        var app = pair.Client.EcnCountsReceived(QuicPacketNumberSpace.ApplicationData).Ect0;
        Assert.True(initial >= 1 && handshake >= 1 && app >= 1, $"{initial} {handshake} {app}");

        // Coalesced packets count once each in their own space; duplicates are dropped before they count.
        Assert.True(pair.Client.Statistics.PacketsDropped > 0);
        Assert.Equal((ulong)pair.Client.Statistics.PacketsReceived, initial + handshake + app);
    }

    [Fact]
    public void Rfc9002_7_1_CeMarks_AreReported_AndTheSenderReducesItsWindow()
    {
        var pair = new QuicPair(client: o => o with { EcnMarking = true, CongestionControl = CongestionControl.NewReno }, server: Marking);
        var marked = 0;
        var ceSet = 0UL;
        pair.EcnPath = (ecn, toServer) =>
        {
            if (toServer && ecn == EcnCodepoint.Ect0 && ++marked % 25 == 0)
            {
                ceSet++;
                return EcnCodepoint.Ce;
            }

            return ecn;
        };

        Upload(pair, 400_000);

        Assert.True(ceSet > 0);
        Assert.Equal(ceSet, pair.Server.EcnCountsReceived(QuicPacketNumberSpace.ApplicationData).Ce);
        Assert.Equal(ceSet, pair.Client.EcnCeReported);
        Assert.Equal(EcnState.Capable, pair.Client.EcnState);
        Assert.Contains(pair.Trace, line => line.Contains("client EcnCongestionExperienced", StringComparison.Ordinal) && line.Contains("ReducedWindow = True", StringComparison.Ordinal));
        Assert.Equal(0, pair.Client.PacketsLost);
    }

    [Fact]
    public void MarkingOff_ByDefault_SendsNotEct_AndPlainAcks()
    {
        var pair = new QuicPair();
        var seen = new HashSet<EcnCodepoint>();
        pair.EcnPath = (ecn, _) =>
        {
            seen.Add(ecn);
            return ecn;
        };

        Upload(pair, 20_000);

        Assert.Equal([EcnCodepoint.NotEct], seen);
        Assert.Null(pair.Client.EcnState);
        Assert.DoesNotContain(pair.Trace, line => line.Contains("ecn(ect0=", StringComparison.Ordinal));
    }

    [Fact]
    public void DisableEcn_StopsMarking_WithTheReason()
    {
        var pair = new QuicPair(client: Marking, server: Marking);
        pair.RunUntil(() => pair.Client.IsHandshakeConfirmed, TimeSpan.FromSeconds(5));
        pair.Client.DisableEcn("the socket cannot set the ECN bits");
        var clientMarks = 0;
        pair.EcnPath = (ecn, toServer) =>
        {
            clientMarks += toServer && ecn != EcnCodepoint.NotEct ? 1 : 0;
            return ecn;
        };

        Upload(pair, 20_000);

        Assert.Equal(0, clientMarks);
        Assert.Equal(EcnState.Failed, pair.Client.EcnState);
        Assert.Contains(pair.Trace, line => line.Contains("the socket cannot set the ECN bits", StringComparison.Ordinal));
    }

    [Fact]
    public void Rfc9000_13_4_2_ANewPath_IsTestedAgain_EvenAfterTheOldOneFailed()
    {
        var pair = new QuicPair(client: Marking, server: Marking) { EcnPath = (_, _) => EcnCodepoint.NotEct };
        Upload(pair, 20_000);
        Assert.Equal(EcnState.Failed, pair.Client.EcnState);

        // The client moves to a path that keeps the marks: testing starts over and this time succeeds.
        pair.EcnPath = null;
        Assert.True(pair.Client.MigrateToNewPath(pair.Now, portOnly: false));
        Assert.Equal(EcnState.Testing, pair.Client.EcnState);
        Upload(pair, 50_000);
        Assert.Equal(EcnState.Capable, pair.Client.EcnState);
        Assert.Contains(pair.Trace, line => line.Contains("client EcnStateChange { Old = Failed, New = Testing, Trigger = new path", StringComparison.Ordinal));
    }

    /// <summary>Sends <paramref name="length"/> bytes from client to server on one stream; returns what the server read.</summary>
    private static int Upload(QuicPair pair, int length)
    {
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed, TimeSpan.FromSeconds(10)), string.Join("\n", pair.Trace));
        var id = pair.Client.OpenStream(bidirectional: true);
        pair.Client.WriteStream(id, RandomNumberGenerator.GetBytes(length), fin: true);
        var received = 0;
        var done = false;
        var buffer = new byte[65_536];
        Assert.True(pair.RunUntil(() => done, TimeSpan.FromSeconds(60), () =>
        {
            int read;
            while (!done && ((read = pair.Server.ReadStream(id, buffer, out var fin)) > 0 || fin))
            {
                received += read;
                done |= fin;
            }
        }), string.Join("\n", pair.Trace));

        // Until the last ACKs arrive, so the sender has seen every count.
        Assert.True(pair.RunUntil(() => pair.Client.BytesInFlight == 0, TimeSpan.FromSeconds(5)), string.Join("\n", pair.Trace));
        return received;
    }
}
