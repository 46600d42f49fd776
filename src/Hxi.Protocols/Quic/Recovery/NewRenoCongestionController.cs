namespace Hxi.Protocols.Quic.Recovery;

/// <summary>NewReno congestion control as RFC 9002 Section 7 and Appendix B describe it.</summary>
public sealed class NewRenoCongestionController(int maxDatagramSize = 1200) : ICongestionController
{
    /// <summary>kLossReductionFactor: the window halves on a congestion event.</summary>
    private const int LossReductionDivisor = 2;

    private TimeSpan? _recoveryStartTime;

    public int MaxDatagramSize { get; } = maxDatagramSize;

    /// <summary>Section 7.2: ten datagrams, bounded to 14,720 bytes unless that is less than two.</summary>
    public long CongestionWindow { get; private set; } = Math.Min(10L * maxDatagramSize, Math.Max(14_720, 2L * maxDatagramSize));

    public long BytesInFlight { get; private set; }

    public long SlowStartThreshold { get; private set; } = long.MaxValue;

    public long MinimumWindow => 2L * MaxDatagramSize;

    public bool InSlowStart => CongestionWindow < SlowStartThreshold;

    // The window and threshold just before the last congestion event, while it can still be undone.
    private (long Window, long Threshold)? _beforeEvent;

    public bool InRecovery(TimeSpan timeSent) => _recoveryStartTime is { } start && timeSent <= start;

    /// <summary>Bytes that may be sent now without exceeding the window.</summary>
    public long Available => Math.Max(0, CongestionWindow - BytesInFlight);

    /// <summary>A new path starts from the initial window (RFC 9000 Section 9.4); what is in flight stays counted.</summary>
    public void ResetForNewPath(TimeSpan now)
    {
        CongestionWindow = Math.Min(10L * MaxDatagramSize, Math.Max(14_720, 2L * MaxDatagramSize));
        SlowStartThreshold = long.MaxValue;
        _recoveryStartTime = now;
    }

    public CongestionSnapshot Snapshot() => new RenoSnapshot(CongestionWindow, SlowStartThreshold, _recoveryStartTime);

    public void Restore(CongestionSnapshot snapshot)
    {
        (CongestionWindow, SlowStartThreshold, _recoveryStartTime) = (RenoSnapshot)snapshot;
        _beforeEvent = null;
    }

    private sealed record RenoSnapshot(long Window, long Threshold, TimeSpan? RecoveryStart) : CongestionSnapshot;

    public void OnPacketSent(SentPacket packet)
    {
        if (packet.InFlight)
        {
            BytesInFlight += packet.Size;
        }
    }

    public void OnPacketsAcked(IEnumerable<SentPacket> packets, TimeSpan now) => OnPacketsAcked(packets);

    public void OnPacketsAcked(IEnumerable<SentPacket> packets)
    {
        foreach (var packet in packets.Where(p => p.InFlight))
        {
            BytesInFlight -= packet.Size;
            // No growth for packets sent during recovery, and none while the application leaves the window unused.
            if (InRecovery(packet.TimeSent))
            {
                continue;
            }

            CongestionWindow += InSlowStart ? packet.Size : (long)MaxDatagramSize * packet.Size / CongestionWindow;
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
        foreach (var packet in lost.Where(p => p.InFlight))
        {
            BytesInFlight -= packet.Size;
            latestSent = packet.TimeSent > latestSent ? packet.TimeSent : latestSent;
            anyInFlight = true;
        }

        // RFC 9002 Appendix B.8: only the loss of packets in flight is congestion; a lost ACK-only packet is not.
        if (!anyInFlight)
        {
            return;
        }

        OnCongestionEvent(latestSent, now);
        if (persistentCongestion)
        {
            CongestionWindow = MinimumWindow;
            _recoveryStartTime = null;
            _beforeEvent = null;
        }
    }

    /// <summary>Packets of a discarded space leave the flight without counting as lost (Appendix B.9).</summary>
    public void RemoveFromFlight(IEnumerable<SentPacket> packets)
    {
        foreach (var packet in packets.Where(p => p.InFlight))
        {
            BytesInFlight -= packet.Size;
        }
    }

    public void OnCongestionExperienced(TimeSpan sentTime, TimeSpan now) => OnCongestionEvent(sentTime, now);

    private void OnCongestionEvent(TimeSpan sentTime, TimeSpan now)
    {
        // One reduction per round trip: losses of packets sent before recovery began are already paid for.
        if (InRecovery(sentTime))
        {
            return;
        }

        _beforeEvent = (CongestionWindow, SlowStartThreshold);
        CongestionEvents++;
        _recoveryStartTime = now;
        SlowStartThreshold = CongestionWindow / LossReductionDivisor;
        CongestionWindow = Math.Max(SlowStartThreshold, MinimumWindow);
    }

    public long CongestionEvents { get; private set; }

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
    }
}
