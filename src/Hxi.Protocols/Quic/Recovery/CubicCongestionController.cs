namespace Hxi.Protocols.Quic.Recovery;

/// <summary>
/// CUBIC congestion control (RFC 9438) on RFC 9002's frame: the same slow start, recovery period and persistent
/// congestion as <see cref="NewRenoCongestionController"/>, but in congestion avoidance the window follows
/// W_cubic(t) = C (t - K)^3 + W_max (Section 4.2), concave up to the window of the last loss and convex past it, never
/// slower than the Reno-friendly estimate W_est (Section 4.3); a loss multiplies the window by beta = 0.7, not 0.5
/// (Section 4.6). Windows are in bytes; the curve is in segments of <see cref="MaxDatagramSize"/>.
/// </summary>
public sealed class CubicCongestionController(int maxDatagramSize, RttEstimator rtt) : ICongestionController
{
    /// <summary>C (Section 5.1): segments per second cubed.</summary>
    public const double C = 0.4;

    /// <summary>beta_cubic (Section 4.6).</summary>
    public const double Beta = 0.7;

    /// <summary>alpha_cubic = 3 (1 - beta) / (1 + beta) (Section 4.3): W_est's growth per RTT until it reaches W_max.</summary>
    public const double RenoFriendlyAlpha = 3 * (1 - Beta) / (1 + Beta);

    private TimeSpan? _recoveryStartTime;

    // The congestion avoidance epoch (Section 4.2): when it began, the window then, W_max and K; null before one starts.
    private TimeSpan? _epochStart;
    private double _windowAtEpoch;
    private double _k;
    private double _renoEstimate;

    // What a congestion event changed, kept until the next one so a spurious event can be undone (Section 4.9).
    private CubicState? _beforeEvent;

    public int MaxDatagramSize { get; } = maxDatagramSize;

    /// <summary>RFC 9002 Section 7.2: ten datagrams, bounded to 14,720 bytes unless that is less than two.</summary>
    public long CongestionWindow { get; private set; } = Math.Min(10L * maxDatagramSize, Math.Max(14_720, 2L * maxDatagramSize));

    public long BytesInFlight { get; private set; }

    public long SlowStartThreshold { get; private set; } = long.MaxValue;

    /// <summary>W_max (Section 4.2): the window just before the last congestion event, in bytes (0 before any).</summary>
    public double WindowMax { get; private set; }

    /// <summary>K (Section 4.2): seconds from the start of congestion avoidance until the curve is back at W_max.</summary>
    public double K => _k;

    public long MinimumWindow => 2L * MaxDatagramSize;

    public bool InSlowStart => CongestionWindow < SlowStartThreshold;

    public long Available => Math.Max(0, CongestionWindow - BytesInFlight);

    public bool InRecovery(TimeSpan timeSent) => _recoveryStartTime is { } start && timeSent <= start;

    /// <summary>W_cubic(t) of Section 4.2 in bytes, t seconds into the current epoch.</summary>
    public double CubicWindow(double t) => (C * Math.Pow(t - _k, 3) * MaxDatagramSize) + WindowMax;

    /// <summary>A new path starts from the initial window with no cubic epoch (RFC 9000 Section 9.4, RFC 9438 Section 4.8).</summary>
    public void ResetForNewPath(TimeSpan now)
    {
        CongestionWindow = Math.Min(10L * MaxDatagramSize, Math.Max(14_720, 2L * MaxDatagramSize));
        SlowStartThreshold = long.MaxValue;
        _recoveryStartTime = now;
        _epochStart = null;
        WindowMax = 0;
        _k = 0;
        _windowAtEpoch = 0;
        _renoEstimate = 0;
    }

    public CongestionSnapshot Snapshot() =>
        new CubicSnapshot(new CubicState(CongestionWindow, SlowStartThreshold, WindowMax, _k, _epochStart, _windowAtEpoch, _renoEstimate), _recoveryStartTime);

    public void Restore(CongestionSnapshot snapshot)
    {
        var (state, recoveryStart) = (CubicSnapshot)snapshot;
        (CongestionWindow, SlowStartThreshold, WindowMax, _k, _epochStart, _windowAtEpoch, _renoEstimate) =
            (state.Window, state.Threshold, state.WindowMax, state.K, state.EpochStart, state.WindowAtEpoch, state.RenoEstimate);
        _recoveryStartTime = recoveryStart;
        _beforeEvent = null;
    }

    private sealed record CubicSnapshot(CubicState State, TimeSpan? RecoveryStart) : CongestionSnapshot;

    public void OnPacketSent(SentPacket packet)
    {
        if (packet.InFlight)
        {
            BytesInFlight += packet.Size;
        }
    }

    public void OnPacketsAcked(IEnumerable<SentPacket> packets, TimeSpan now)
    {
        foreach (var packet in packets)
        {
            if (!packet.InFlight)
            {
                continue;
            }

            BytesInFlight -= packet.Size;
            if (InRecovery(packet.TimeSent))
            {
                continue;
            }

            if (InSlowStart)
            {
                CongestionWindow += packet.Size;
                continue;
            }

            AvoidCongestion(packet.Size, now);
        }
    }

    public void OnPacketsLost(IReadOnlyCollection<SentPacket> lost, TimeSpan now, bool persistentCongestion)
    {
        if (lost.Count == 0)
        {
            return;
        }

        var latestSent = TimeSpan.Zero;
        var anyInFlight = false;
        foreach (var packet in lost)
        {
            if (packet.InFlight)
            {
                BytesInFlight -= packet.Size;
                latestSent = packet.TimeSent > latestSent ? packet.TimeSent : latestSent;
                anyInFlight = true;
            }
        }

        // RFC 9002 Appendix B.8: only the loss of packets in flight is congestion; a lost ACK-only packet is not.
        if (!anyInFlight)
        {
            return;
        }

        OnCongestionEvent(latestSent, now);
        if (persistentCongestion)
        {
            // Section 4.8 (as RFC 9002 7.6.2): back to the minimum window; the next epoch starts from there.
            CongestionWindow = MinimumWindow;
            _recoveryStartTime = null;
            _epochStart = null;
            _beforeEvent = null;
        }
    }

    public void RemoveFromFlight(IEnumerable<SentPacket> packets)
    {
        foreach (var packet in packets)
        {
            if (packet.InFlight)
            {
                BytesInFlight -= packet.Size;
            }
        }
    }

    public void OnCongestionExperienced(TimeSpan sentTime, TimeSpan now) => OnCongestionEvent(sentTime, now);

    private void OnCongestionEvent(TimeSpan sentTime, TimeSpan now)
    {
        // One reduction per round trip, as NewReno: losses of packets sent before recovery began are already paid for.
        if (InRecovery(sentTime))
        {
            return;
        }

        _beforeEvent = new CubicState(CongestionWindow, SlowStartThreshold, WindowMax, _k, _epochStart, _windowAtEpoch, _renoEstimate);
        CongestionEvents++;
        _recoveryStartTime = now;
        // Fast convergence (Section 4.7): a flow whose window fell short of the last W_max gives bandwidth back.
        WindowMax = CongestionWindow < WindowMax ? CongestionWindow * (1 + Beta) / 2 : CongestionWindow;
        SlowStartThreshold = Math.Max((long)Math.Round(CongestionWindow * Beta), MinimumWindow);
        CongestionWindow = SlowStartThreshold;
        _epochStart = null;
    }

    public long CongestionEvents { get; private set; }

    /// <summary>Section 4.9 (spurious congestion events): the window, W_max, K and the epoch go back to before the event.</summary>
    public void UndoLastCongestionEvent()
    {
        if (_beforeEvent is not { } before)
        {
            return;
        }

        _beforeEvent = null;
        _recoveryStartTime = null;
        CongestionWindow = Math.Max(CongestionWindow, before.Window);
        SlowStartThreshold = before.Threshold;
        WindowMax = before.WindowMax;
        _k = before.K;
        _epochStart = before.EpochStart;
        _windowAtEpoch = before.WindowAtEpoch;
        _renoEstimate = before.RenoEstimate;
    }

    /// <summary>Section 4.2-4.5: one acknowledged packet's worth of growth in congestion avoidance.</summary>
    private void AvoidCongestion(int ackedBytes, TimeSpan now)
    {
        if (_epochStart is null)
        {
            _epochStart = now;
            _windowAtEpoch = CongestionWindow;
            // A first epoch with no loss behind it (slow start ended at ssthresh): the curve starts at its plateau.
            WindowMax = Math.Max(WindowMax, CongestionWindow);
            _k = Math.Cbrt((WindowMax - _windowAtEpoch) / MaxDatagramSize / C);
            _renoEstimate = _windowAtEpoch;
        }

        var t = (now - _epochStart.Value).TotalSeconds;
        var window = (double)CongestionWindow;

        // Section 4.3: W_est grows by alpha segments per window acknowledged, alpha 1 once past W_max.
        var alpha = _renoEstimate >= WindowMax ? 1.0 : RenoFriendlyAlpha;
        _renoEstimate += alpha * MaxDatagramSize * ackedBytes / window;

        if (CubicWindow(t) < _renoEstimate)
        {
            // The Reno-friendly region (Section 4.3): at least what standard TCP would have.
            CongestionWindow = Math.Max(CongestionWindow, (long)_renoEstimate);
            return;
        }

        // Sections 4.4 and 4.5: aim at W_cubic one RTT ahead, within [cwnd, 1.5 cwnd], and close the gap over a window.
        var roundTrip = (rtt.HasSample ? rtt.SmoothedRtt : RttEstimator.InitialRtt).TotalSeconds;
        var target = Math.Clamp(CubicWindow(t + roundTrip), window, 1.5 * window);
        CongestionWindow += (long)Math.Ceiling((target - window) * ackedBytes / window);
    }
}

/// <summary>CUBIC's state before a congestion event: what undoing a spurious one restores.</summary>
internal readonly record struct CubicState(long Window, long Threshold, double WindowMax, double K, TimeSpan? EpochStart, double WindowAtEpoch, double RenoEstimate);
