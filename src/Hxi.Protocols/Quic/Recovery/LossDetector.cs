namespace Hxi.Protocols.Quic.Recovery;

/// <summary>What one ACK frame did: packets newly acknowledged and packets now declared lost.</summary>
/// <param name="LateAcked">Packets declared lost earlier that this ACK acknowledges after all (a spurious loss): what
/// they carried arrived, so it need not be sent again.</param>
public sealed record AckOutcome(IReadOnlyList<SentPacket> Acked, IReadOnlyList<SentPacket> Lost, bool RttUpdated, IReadOnlyList<SentPacket> LateAcked);

/// <summary>What the loss detection timer asks for when it fires.</summary>
/// <param name="ProbeSpace">When set, send one or two ack-eliciting probe packets in this space (PTO).</param>
public sealed record LossTimeout(IReadOnlyList<SentPacket> Lost, QuicPacketNumberSpace? ProbeSpace, bool AntiDeadlock);

/// <summary>
/// Loss detection and the probe timeout of RFC 9002 (Sections 6 and Appendix A), per packet number
/// space, with the single timer the connection arms. The core gives it "now"; it never reads a clock.
/// </summary>
/// <remarks>
/// Reordering is told from loss after the fact (Section 6.1): packets declared lost are remembered for a few PTOs, and
/// one acknowledged later was only reordered. Then the threshold that declared it grows, as RACK does (RFC 8985): the
/// packet threshold to one past the reordering seen, the time threshold by an eighth of an RTT; and when every packet of
/// the last congestion event turns out to have arrived, the controller undoes that event (RFC 9438 Section 4.9).
/// </remarks>
public sealed class LossDetector(bool isServer, RttEstimator rtt, ICongestionController congestion)
{
    /// <summary>kPacketThreshold: reordering tolerated before a packet counts as lost, to begin with.</summary>
    public const int PacketThreshold = 3;

    /// <summary>How far spurious losses may raise the packet threshold.</summary>
    public const int MaxPacketThreshold = 32;

    // kTimeThreshold 9/8 to begin with, in eighths of an RTT; spurious losses raise it up to two RTTs.
    private const int InitialTimeThresholdEighths = 9;
    private const int MaxTimeThresholdEighths = 16;

    // A declared loss is remembered this many PTOs, long enough for a reordered packet's ACK to come back.
    private const int LostMemoryPtos = 3;
    private const int MaxRememberedLost = 1024;

    /// <summary>kGranularity: the timer's resolution.</summary>
    public static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(1);

    private readonly Space[] _spaces = [new(), new(), new()];

    /// <summary>The peer's max_ack_delay transport parameter (default 25 ms).</summary>
    public TimeSpan MaxAckDelay { get; set; } = TimeSpan.FromMilliseconds(25);

    public bool HandshakeConfirmed { get; set; }

    /// <summary>When the connection last changed path: packets sent before it give no RTT sample (RFC 9000 Section 9.4).</summary>
    public TimeSpan PathStart { get; set; }

    public bool HasHandshakeKeys { get; set; }

    /// <summary>A client learns that the server validated its address from an ACK in a Handshake packet.</summary>
    public bool ReceivedHandshakeAck { get; set; }

    public int PtoCount { get; private set; }

    /// <summary>When the connection must call <see cref="OnTimeout"/>; null when no timer is armed.</summary>
    public TimeSpan? Timer { get; private set; }

    public long PacketsLost { get; private set; }

    /// <summary>Packets declared lost and acknowledged afterwards: reordering mistaken for loss.</summary>
    public long SpuriousLosses { get; private set; }

    /// <summary>The packet reordering threshold now: <see cref="PacketThreshold"/>, raised by spurious losses.</summary>
    public int ReorderingThreshold { get; private set; } = PacketThreshold;

    /// <summary>The time reordering threshold now, in RTTs: 9/8, raised by spurious losses.</summary>
    public double TimeThreshold => _timeThresholdEighths / 8.0;

    private int _timeThresholdEighths = InitialTimeThresholdEighths;

    // The packets whose loss made the congestion controller's last event: when all are acknowledged late, it is undone.
    private HashSet<(int Space, long PacketNumber)>? _lastEventLosses;

    public RttEstimator Rtt => rtt;

    private bool PeerCompletedAddressValidation => isServer || ReceivedHandshakeAck || HandshakeConfirmed;

    public bool HasAckElicitingInFlight(QuicPacketNumberSpace space) => _spaces[(int)space].AckElicitingInFlight > 0;

    public long LargestAcked(QuicPacketNumberSpace space) => _spaces[(int)space].LargestAcked;

    public IEnumerable<SentPacket> Unacknowledged(QuicPacketNumberSpace space) => _spaces[(int)space].Sent.Values;

    public void OnPacketSent(QuicPacketNumberSpace space, SentPacket packet, TimeSpan now)
    {
        var state = _spaces[(int)space];
        state.Sent[packet.PacketNumber] = packet;
        if (packet.InFlight)
        {
            if (packet.AckEliciting)
            {
                state.TimeOfLastAckEliciting = packet.TimeSent;
                state.AckElicitingInFlight++;
            }

            congestion.OnPacketSent(packet);
            SetTimer(now);
        }
    }

    /// <summary>Applies one ACK frame; <paramref name="ranges"/> are inclusive (smallest, largest) pairs.</summary>
    public AckOutcome OnAckReceived(QuicPacketNumberSpace space, IReadOnlyList<(long Smallest, long Largest)> ranges, TimeSpan ackDelay, TimeSpan now)
    {
        var state = _spaces[(int)space];
        var largest = ranges.Max(r => r.Largest);
        state.LargestAcked = Math.Max(state.LargestAcked, largest);

        var acked = new List<SentPacket>();
        foreach (var (smallest, rangeLargest) in ranges)
        {
            // Walk whichever is smaller: the range or what is outstanding.
            if (rangeLargest - smallest < state.Sent.Count)
            {
                for (var pn = smallest; pn <= rangeLargest; pn++)
                {
                    if (state.Sent.Remove(pn, out var packet))
                    {
                        acked.Add(packet);
                    }
                }
            }
            else
            {
                // Keys come in order: stop at the first past the range instead of walking (and copying) them all.
                int first = acked.Count;
                foreach (var (pn, packet) in state.Sent)
                {
                    if (pn > rangeLargest)
                    {
                        break;
                    }

                    if (pn >= smallest)
                    {
                        acked.Add(packet);
                    }
                }

                for (var i = first; i < acked.Count; i++)
                {
                    state.Sent.Remove(acked[i].PacketNumber);
                }
            }
        }

        var late = TakeLateAcknowledged(state, ranges, now);
        IReadOnlyList<SentPacket> lateAcked = [];
        if (late.Count > 0)
        {
            OnSpuriousLosses(space, late);
            lateAcked = late.ConvertAll(l => l.Packet);
        }

        if (acked.Count == 0)
        {
            return new AckOutcome([], [], false, lateAcked);
        }

        acked.Sort((a, b) => a.PacketNumber.CompareTo(b.PacketNumber));
        var rttUpdated = false;
        // RFC 9000 Section 9.4: a packet sent on the old path says nothing of the new path's round trip.
        if (acked[^1].PacketNumber == largest && acked.Any(p => p.AckEliciting) && acked[^1].TimeSent >= PathStart)
        {
            rtt.Update(now - acked[^1].TimeSent, ackDelay, HandshakeConfirmed, MaxAckDelay);
            rttUpdated = true;
        }

        foreach (var packet in acked.Where(p => p.AckEliciting && p.InFlight))
        {
            state.AckElicitingInFlight--;
        }

        var lost = DetectLost(space, now);
        if (lost.Count > 0)
        {
            OnLost(space, lost, now);
        }

        congestion.OnPacketsAcked(acked, now);
        if (PeerCompletedAddressValidation)
        {
            PtoCount = 0;
        }

        SetTimer(now);
        return new AckOutcome(acked, lost, rttUpdated, lateAcked);
    }

    public LossTimeout OnTimeout(TimeSpan now)
    {
        var (lossTime, lossSpace) = EarliestLossTime();
        if (lossTime is not null)
        {
            var lost = DetectLost(lossSpace, now);
            if (lost.Count > 0)
            {
                OnLost(lossSpace, lost, now);
            }

            SetTimer(now);
            return new LossTimeout(lost, null, false);
        }

        LossTimeout result;
        if (!AnyAckElicitingInFlight())
        {
            // The client's anti-deadlock probe: the server may be blocked by its amplification limit.
            result = new LossTimeout([], HasHandshakeKeys ? QuicPacketNumberSpace.Handshake : QuicPacketNumberSpace.Initial, true);
        }
        else
        {
            var (_, space) = PtoTimeAndSpace(now);
            result = new LossTimeout([], space, false);
        }

        PtoCount++;
        SetTimer(now);
        return result;
    }

    /// <summary>Keys for a space are gone: its packets leave the flight without being called lost (Section 6.4).</summary>
    public void DiscardSpace(QuicPacketNumberSpace space, TimeSpan now)
    {
        var state = _spaces[(int)space];
        congestion.RemoveFromFlight(state.Sent.Values);
        state.Sent.Clear();
        state.Lost.Clear();
        state.AckElicitingInFlight = 0;
        state.LossTime = null;
        state.TimeOfLastAckEliciting = TimeSpan.Zero;
        PtoCount = 0;
        SetTimer(now);
    }

    /// <summary>The probe timeout period (Section 6.2.1), without backoff.</summary>
    public TimeSpan ProbeTimeout => rtt.SmoothedRtt + Max(rtt.RttVariation * 4, Granularity);

    private List<SentPacket> DetectLost(QuicPacketNumberSpace space, TimeSpan now)
    {
        var state = _spaces[(int)space];
        state.LossTime = null;
        var lossDelay = Max(Max(rtt.LatestRtt, rtt.SmoothedRtt) * _timeThresholdEighths / 8, Granularity);
        var lostSendTime = now - lossDelay;
        var lost = new List<SentPacket>();
        // Packets come in packet number order, and only those up to the largest acknowledged can be lost: the walk
        // stops there, so an ACK costs the packets it left behind, not every packet in flight (thousands on a fast path).
        foreach (var packet in state.Sent.Values)
        {
            if (packet.PacketNumber > state.LargestAcked)
            {
                break;
            }

            if (packet.TimeSent <= lostSendTime || state.LargestAcked >= packet.PacketNumber + ReorderingThreshold)
            {
                lost.Add(packet);
            }
            else
            {
                var when = packet.TimeSent + lossDelay;
                state.LossTime = state.LossTime is { } existing && existing < when ? existing : when;
            }
        }

        foreach (var packet in lost)
        {
            state.Sent.Remove(packet.PacketNumber);
            state.Lost[packet.PacketNumber] = new DeclaredLoss(packet, state.LargestAcked, now);
            if (packet.AckEliciting && packet.InFlight)
            {
                state.AckElicitingInFlight--;
            }
        }

        PacketsLost += lost.Count;
        return lost;
    }

    /// <summary>Tells the controller, and remembers which packets made a new congestion event (or joined the current one).</summary>
    private void OnLost(QuicPacketNumberSpace space, List<SentPacket> lost, TimeSpan now)
    {
        var events = congestion.CongestionEvents;
        var persistent = IsPersistentCongestion(lost);
        congestion.OnPacketsLost(lost, now, persistent);
        if (persistent)
        {
            _lastEventLosses = null;
            return;
        }

        if (congestion.CongestionEvents != events)
        {
            _lastEventLosses = [];
        }

        foreach (var packet in lost)
        {
            if (packet.InFlight)
            {
                _lastEventLosses?.Add(((int)space, packet.PacketNumber));
            }
        }
    }

    /// <summary>Removes and returns the remembered lost packets these ranges acknowledge; forgets those too old to matter.</summary>
    private List<DeclaredLoss> TakeLateAcknowledged(Space state, IReadOnlyList<(long Smallest, long Largest)> ranges, TimeSpan now)
    {
        var late = new List<DeclaredLoss>();
        if (state.Lost.Count == 0)
        {
            return late;
        }

        var forgetBefore = now - (ProbeTimeout * LostMemoryPtos) - MaxAckDelay;
        List<long>? stale = null;
        foreach (var (pn, loss) in state.Lost)
        {
            if (loss.DeclaredAt < forgetBefore || state.Lost.Count - (stale?.Count ?? 0) > MaxRememberedLost)
            {
                (stale ??= []).Add(pn);
            }
            else if (ranges.Any(r => pn >= r.Smallest && pn <= r.Largest))
            {
                late.Add(loss);
                (stale ??= []).Add(pn);
            }
        }

        foreach (var pn in stale ?? [])
        {
            state.Lost.Remove(pn);
        }

        return late;
    }

    /// <summary>
    /// Packets declared lost were only reordered (Section 6.1): raise the threshold that declared each (by packets when
    /// enough later ones were acknowledged, by time otherwise), and undo the congestion event they alone made.
    /// </summary>
    private void OnSpuriousLosses(QuicPacketNumberSpace space, List<DeclaredLoss> late)
    {
        foreach (var (packet, largestAckedThen, _) in late)
        {
            SpuriousLosses++;
            var reordering = largestAckedThen - packet.PacketNumber;
            if (reordering >= ReorderingThreshold)
            {
                ReorderingThreshold = (int)Math.Min(reordering + 1, MaxPacketThreshold);
            }
            else
            {
                _timeThresholdEighths = Math.Min(_timeThresholdEighths + 1, MaxTimeThresholdEighths);
            }

            _lastEventLosses?.Remove(((int)space, packet.PacketNumber));
        }

        if (_lastEventLosses is { Count: 0 })
        {
            _lastEventLosses = null;
            congestion.UndoLastCongestionEvent();
        }
    }

    // Section 7.6: ack-eliciting losses spanning more than the persistent congestion duration.
    private bool IsPersistentCongestion(List<SentPacket> lost)
    {
        var eliciting = lost.Where(p => p.AckEliciting).ToList();
        if (!rtt.HasSample || eliciting.Count < 2)
        {
            return false;
        }

        var duration = (rtt.SmoothedRtt + Max(rtt.RttVariation * 4, Granularity) + MaxAckDelay) * 3;
        return eliciting.Max(p => p.TimeSent) - eliciting.Min(p => p.TimeSent) >= duration;
    }

    private (TimeSpan? Time, QuicPacketNumberSpace Space) EarliestLossTime()
    {
        TimeSpan? time = null;
        var space = QuicPacketNumberSpace.Initial;
        for (var i = 0; i < _spaces.Length; i++)
        {
            if (_spaces[i].LossTime is { } t && (time is null || t < time))
            {
                time = t;
                space = (QuicPacketNumberSpace)i;
            }
        }

        return (time, space);
    }

    private bool AnyAckElicitingInFlight() => _spaces.Any(s => s.AckElicitingInFlight > 0);

    private (TimeSpan? Time, QuicPacketNumberSpace Space) PtoTimeAndSpace(TimeSpan now)
    {
        var duration = ProbeTimeout * (1 << Math.Min(PtoCount, 16));
        if (!AnyAckElicitingInFlight())
        {
            return (now + duration, HasHandshakeKeys ? QuicPacketNumberSpace.Handshake : QuicPacketNumberSpace.Initial);
        }

        TimeSpan? timeout = null;
        var ptoSpace = QuicPacketNumberSpace.Initial;
        for (var i = 0; i < _spaces.Length; i++)
        {
            var state = _spaces[i];
            if (state.AckElicitingInFlight == 0)
            {
                continue;
            }

            if (i == (int)QuicPacketNumberSpace.ApplicationData)
            {
                // Application data is not probed before the handshake is confirmed (Section 6.2.1).
                if (!HandshakeConfirmed)
                {
                    return (timeout, ptoSpace);
                }

                duration += MaxAckDelay * (1 << Math.Min(PtoCount, 16));
            }

            var t = state.TimeOfLastAckEliciting + duration;
            if (timeout is null || t < timeout)
            {
                timeout = t;
                ptoSpace = (QuicPacketNumberSpace)i;
            }
        }

        return (timeout, ptoSpace);
    }

    private void SetTimer(TimeSpan now)
    {
        var (lossTime, _) = EarliestLossTime();
        if (lossTime is not null)
        {
            Timer = lossTime;
            return;
        }

        if (!AnyAckElicitingInFlight() && PeerCompletedAddressValidation)
        {
            Timer = null;
            return;
        }

        Timer = PtoTimeAndSpace(now).Time;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class Space
    {
        public SortedDictionary<long, SentPacket> Sent { get; } = [];

        /// <summary>Packets declared lost, remembered a while in case an ACK shows they were only reordered.</summary>
        public SortedDictionary<long, DeclaredLoss> Lost { get; } = [];

        public long LargestAcked { get; set; } = -1;

        public TimeSpan? LossTime { get; set; }

        public TimeSpan TimeOfLastAckEliciting { get; set; }

        public int AckElicitingInFlight { get; set; }
    }
}

/// <summary>A packet declared lost: when, and the largest acknowledged packet number then (how much reordering it took).</summary>
internal readonly record struct DeclaredLoss(SentPacket Packet, long LargestAckedThen, TimeSpan DeclaredAt);
