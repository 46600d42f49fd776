namespace Hxi.Protocols.Quic.Recovery;

/// <summary>RTT estimation of RFC 9002 Section 5: latest, minimum, smoothed and variation.</summary>
public sealed class RttEstimator
{
    /// <summary>kInitialRtt (Section 6.2.2): used until the first sample.</summary>
    public static readonly TimeSpan InitialRtt = TimeSpan.FromMilliseconds(333);

    public TimeSpan LatestRtt { get; private set; }

    public TimeSpan MinRtt { get; private set; }

    public TimeSpan SmoothedRtt { get; private set; } = InitialRtt;

    public TimeSpan RttVariation { get; private set; } = InitialRtt / 2;

    public bool HasSample { get; private set; }

    /// <summary>Section 5.3: ack delay counts only after the handshake is confirmed, capped by max_ack_delay.</summary>
    /// <summary>A new path's RTT is unknown: back to the initial estimate (RFC 9000 Section 9.4).</summary>
    public void ResetForNewPath()
    {
        LatestRtt = TimeSpan.Zero;
        MinRtt = TimeSpan.Zero;
        SmoothedRtt = InitialRtt;
        RttVariation = InitialRtt / 2;
        HasSample = false;
    }

    /// <summary>The estimate as it stands, to go back to when a new path fails validation (RFC 9000 Section 9.4).</summary>
    public RttSnapshot Snapshot() => new(LatestRtt, MinRtt, SmoothedRtt, RttVariation, HasSample);

    public void Restore(RttSnapshot snapshot) =>
        (LatestRtt, MinRtt, SmoothedRtt, RttVariation, HasSample) = (snapshot.LatestRtt, snapshot.MinRtt, snapshot.SmoothedRtt, snapshot.RttVariation, snapshot.HasSample);

    public void Update(TimeSpan latestRtt, TimeSpan ackDelay, bool handshakeConfirmed, TimeSpan maxAckDelay)
    {
        LatestRtt = latestRtt;
        if (!HasSample)
        {
            HasSample = true;
            MinRtt = latestRtt;
            SmoothedRtt = latestRtt;
            RttVariation = latestRtt / 2;
            return;
        }

        MinRtt = latestRtt < MinRtt ? latestRtt : MinRtt;
        if (handshakeConfirmed && ackDelay > maxAckDelay)
        {
            ackDelay = maxAckDelay;
        }

        var adjusted = latestRtt >= MinRtt + ackDelay ? latestRtt - ackDelay : latestRtt;
        var deviation = (SmoothedRtt - adjusted).Duration();
        RttVariation = (RttVariation * 3 / 4) + (deviation / 4);
        SmoothedRtt = (SmoothedRtt * 7 / 8) + (adjusted / 8);
    }
}

/// <summary>An <see cref="RttEstimator"/>'s state at one moment.</summary>
public readonly record struct RttSnapshot(TimeSpan LatestRtt, TimeSpan MinRtt, TimeSpan SmoothedRtt, TimeSpan RttVariation, bool HasSample);
