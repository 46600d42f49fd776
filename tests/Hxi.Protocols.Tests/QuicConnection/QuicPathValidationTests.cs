using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Tests.QuicConnection;

/// <summary>Path validation (RFC 9000 Section 8.2) between a client and a server core on a virtual clock.</summary>
public class QuicPathValidationTests
{
    // Section 8.2.4 with kInitialRtt 333 ms: a new path's first PTO is 333 + 4 x 166.5 ms, plus the peer's max_ack_delay.
    private static readonly TimeSpan NewPathPto = TimeSpan.FromMilliseconds(999) + TimeSpan.FromMilliseconds(25);

    [Fact]
    public void Rfc9000_8_2_1_And_8_2_2_DatagramsWithPathChallengeAndPathResponse_AreExpandedTo1200Bytes()
    {
        var pair = Confirmed();
        pair.RecordDatagrams = true;
        Assert.True(pair.Client.MigrateToNewPath(pair.Now, portOnly: true));
        var events = pair.ClientEvents;
        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicPathValidated>().Any(), TimeSpan.FromSeconds(5)));

        var challenge = Assert.Single(pair.Datagrams, d => d.ToServer && d.Frames.Any(f => f is PathChallengeFrame));
        var response = Assert.Single(pair.Datagrams, d => !d.ToServer && d.Frames.Any(f => f is PathResponseFrame));
        Assert.InRange(challenge.Length, 1200, 1500);
        Assert.InRange(response.Length, 1200, 1500);
        // Without the probes nothing is padded: the ACKs around them stay small.
        Assert.Contains(pair.Datagrams, d => d.Frames.All(f => f is AckFrame) && d.Length < 100);
    }

    [Fact]
    public void Rfc9000_8_2_4_NoPathResponse_TheClientGivesUpAfterThreeNewPathPtos_AndGoesBackToTheValidatedPath()
    {
        var pair = Confirmed();
        var events = pair.ClientEvents;
        // The new path is a black hole for the client's datagrams: no challenge arrives, so no response comes.
        pair.ToServer = new Link(Loss: 1);
        var started = pair.Now;
        Assert.True(pair.Client.MigrateToNewPath(started, portOnly: false));

        Assert.False(pair.RunUntil(() => pair.ClientEvents.OfType<QuicPathValidationFailed>().Any(), (3 * NewPathPto) - TimeSpan.FromMilliseconds(50)));
        Assert.False(pair.Client.IsPathValidated);
        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicPathValidationFailed>().Any(), TimeSpan.FromSeconds(1)));

        var failed = Assert.Single(events.OfType<QuicPathValidationFailed>());
        Assert.True(failed.WentBack);
        Assert.InRange(failed.After, 3 * NewPathPto, (3 * NewPathPto) + TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, pair.Client.PathValidationFailures);
        Assert.True(pair.Client.IsPathValidated);
        Assert.False(pair.Client.IsTerminated);

        // Back on the old path (which works): the connection carries on.
        pair.ToServer = Link.Perfect;
        var id = pair.Client.OpenStream(bidirectional: true);
        pair.Client.WriteStream(id, "still here"u8, fin: true);
        var buffer = new byte[32];
        var got = 0;
        Assert.True(pair.RunUntil(() => (got += pair.Server.ReadStream(id, buffer.AsSpan(got), out _)) == 10, TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(events, e => e is QuicPathValidated);
    }

    [Fact]
    public void Rfc9000_8_2_4_OnALongRttPath_TheTimerIsThreeTimesTheCurrentPto_NotTheInitialOne()
    {
        // 600 ms each way: the current PTO (1.2 s RTT and more) is larger than a new path's 1,024 ms.
        var pair = new QuicPair { Latency = TimeSpan.FromMilliseconds(600) };
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed, TimeSpan.FromSeconds(30)));
        var events = pair.ClientEvents;
        pair.ToServer = new Link(Loss: 1);
        Assert.True(pair.Client.MigrateToNewPath(pair.Now, portOnly: true));

        Assert.False(pair.RunUntil(() => pair.ClientEvents.OfType<QuicPathValidationFailed>().Any(), TimeSpan.FromSeconds(3 * 1.2)));
        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicPathValidationFailed>().Any(), TimeSpan.FromSeconds(30)));
        Assert.True(Assert.Single(events.OfType<QuicPathValidationFailed>()).WentBack);
    }

    [Fact]
    public void Rfc9000_8_2_4_AMoveFromAPathThatWasNeverValidated_HasNothingToGoBackTo_AndTheConnectionEnds()
    {
        var pair = Confirmed();
        var events = pair.ClientEvents;
        pair.ToServer = new Link(Loss: 1);
        Assert.True(pair.Client.MigrateToNewPath(pair.Now, portOnly: true));
        pair.RunUntil(() => false, TimeSpan.FromMilliseconds(200));
        // A second move while the first path is still unvalidated: the path it leaves cannot be gone back to.
        Assert.True(pair.Client.MigrateToNewPath(pair.Now, portOnly: true));

        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicConnectionClosed>().Any(), TimeSpan.FromSeconds(10)));
        var failed = Assert.Single(events.OfType<QuicPathValidationFailed>());
        Assert.False(failed.WentBack);
        Assert.True(pair.Client.IsTerminated);
        Assert.Contains("path validation failed", Assert.Single(events.OfType<QuicConnectionClosed>()).Reason);
    }

    [Fact]
    public void Rfc9000_8_2_3_AResponseInTime_CancelsTheTimer()
    {
        var pair = Confirmed();
        var events = pair.ClientEvents;
        Assert.True(pair.Client.MigrateToNewPath(pair.Now, portOnly: false));
        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicPathValidated>().Any(), TimeSpan.FromSeconds(5)));

        // Long past the validation deadline, nothing failed.
        pair.RunUntil(() => false, 4 * NewPathPto);
        Assert.DoesNotContain(events, e => e is QuicPathValidationFailed);
        Assert.Equal(0, pair.Client.PathValidationFailures);
    }

    [Fact]
    public void Rfc9000_9_4_AValidatedMoveToANewAddress_StartsFromTheInitialWindowAndRtt_AndAPortOnlyMoveKeepsThem()
    {
        var pair = Confirmed();
        Upload(pair, 200_000);
        var (window, rtt) = (pair.Client.CongestionWindow, pair.Client.Rtt.SmoothedRtt);
        Assert.True(window > 14_720 && pair.Client.Rtt.HasSample);

        Assert.True(pair.Client.MigrateToNewPath(pair.Now, portOnly: true));
        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicPathValidated>().Any(), TimeSpan.FromSeconds(5)));
        Assert.True(pair.Client.CongestionWindow >= window);

        Assert.True(pair.Client.MigrateToNewPath(pair.Now, portOnly: false));
        Assert.Equal(Math.Min(10L * 1200, 14_720), pair.Client.CongestionWindow);
        Assert.False(pair.Client.Rtt.HasSample);
        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicPathValidated>().Count() == 2, TimeSpan.FromSeconds(5)));
        Assert.True(pair.Client.Rtt.HasSample && rtt > TimeSpan.Zero);
    }

    [Fact]
    public void Rfc9000_9_4_WhenTheNewPathFailsValidation_TheConnectionGoesBackWithTheOldPathsWindowAndRtt()
    {
        var pair = Confirmed();
        Upload(pair, 200_000);
        var (window, rtt, minRtt) = (pair.Client.CongestionWindow, pair.Client.Rtt.SmoothedRtt, pair.Client.Rtt.MinRtt);
        Assert.True(window > 14_720 && pair.Client.Rtt.HasSample);
        pair.ToServer = new Link(Loss: 1);

        Assert.True(pair.Client.MigrateToNewPath(pair.Now, portOnly: false));
        Assert.True(pair.Client.CongestionWindow < window);
        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicPathValidationFailed>().Any(), TimeSpan.FromSeconds(5)));

        // Nothing was acknowledged meanwhile (the path was a black hole), so the old path's state is exactly what it was.
        Assert.Equal(window, pair.Client.CongestionWindow);
        Assert.Equal(rtt, pair.Client.Rtt.SmoothedRtt);
        Assert.Equal(minRtt, pair.Client.Rtt.MinRtt);
        Assert.True(pair.Client.Rtt.HasSample);
    }

    private static void Upload(QuicPair pair, int size)
    {
        var id = pair.Client.OpenStream(bidirectional: true);
        pair.Client.WriteStream(id, new byte[size], fin: true);
        var buffer = new byte[65_536];
        var got = 0;
        var fin = false;
        Assert.True(pair.RunUntil(() => (got += pair.Server.ReadStream(id, buffer, out fin)) == size && fin, TimeSpan.FromSeconds(30)));
        pair.RunUntil(() => pair.Client.BytesInFlight == 0, TimeSpan.FromSeconds(5));
    }

    private static QuicPair Confirmed()
    {
        var pair = new QuicPair();
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed && pair.Server.IsHandshakeConfirmed, TimeSpan.FromSeconds(10)));
        // Let the last ACKs settle so what follows starts from a quiet connection.
        pair.RunUntil(() => false, TimeSpan.FromMilliseconds(200));
        return pair;
    }
}
