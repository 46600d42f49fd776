using Hxi.Protocols.Quic.Streams;

namespace Hxi.Protocols.Quic.Recovery;

/// <summary>
/// The receive side of acknowledgments for one packet number space (RFC 9000 Section 13.2):
/// which packet numbers arrived, when an ACK is due, and the ranges to put in it.
/// </summary>
public sealed class AckTracker(QuicPacketNumberSpace space)
{
    /// <summary>ACK frames carry at most this many ranges; older ones are forgotten (Section 13.2.4).</summary>
    public const int MaxRanges = 32;

    /// <summary>Section 13.2.2: acknowledge at least every second ack-eliciting packet.</summary>
    private const int AckElicitingThreshold = 2;

    private readonly RangeSet _received = new();
    private int _unackedAckEliciting;
    private TimeSpan _largestReceivedTime;
    private TimeSpan? _ackDeadline;

    public QuicPacketNumberSpace Space => space;

    public long LargestReceived => _received.IsEmpty ? -1 : _received.Max - 1;

    /// <summary>When a delayed ACK must go out; null when nothing waits.</summary>
    public TimeSpan? AckDeadline => _ackDeadline;

    /// <summary>Whether an ACK should be sent now (rather than waiting for the deadline).</summary>
    public bool AckNow { get; private set; }

    public bool HasSomethingToAck => !_received.IsEmpty && _received.Max > _floor && (_unackedAckEliciting > 0 || AckNow);

    // Packets below the floor were acknowledged by an ACK the peer has confirmed: never reported again,
    // and treated as duplicates if they show up (RFC 9000 Sections 13.2.3 and 13.2.4).
    private long _floor;

    /// <summary>True when the packet number was seen before (or is too old to tell): drop the packet.</summary>
    public bool IsDuplicate(long packetNumber) => packetNumber < _floor || _received.Contains(packetNumber);

    public void OnPacketReceived(long packetNumber, bool ackEliciting, TimeSpan now, TimeSpan maxAckDelay)
    {
        var outOfOrder = !_received.IsEmpty && packetNumber < LargestReceived;
        var gap = !_received.IsEmpty && packetNumber > LargestReceived + 1;
        _received.Add(packetNumber, packetNumber + 1);
        _received.TrimLowest(MaxRanges);
        if (packetNumber == LargestReceived)
        {
            _largestReceivedTime = now;
        }

        if (!ackEliciting)
        {
            return;
        }

        _unackedAckEliciting++;
        // Handshake spaces are acknowledged at once; reordering and every second packet too (Section 13.2.1).
        if (space != QuicPacketNumberSpace.ApplicationData || outOfOrder || gap || _unackedAckEliciting >= AckElicitingThreshold)
        {
            AckNow = true;
        }
        else
        {
            _ackDeadline ??= now + maxAckDelay;
        }
    }

    /// <summary>The ranges for an ACK frame, largest first, and the delay since the largest arrived.</summary>
    public (IReadOnlyList<(long Smallest, long Largest)> Ranges, TimeSpan AckDelay) BuildAck(TimeSpan now)
    {
        var ranges = new List<(long, long)>(_received.Count);
        for (var i = _received.Count - 1; i >= 0; i--)
        {
            var (start, end) = _received.Ranges[i];
            if (end <= _floor)
            {
                break;
            }

            ranges.Add((Math.Max(start, _floor), end - 1));
        }

        return (ranges, now - _largestReceivedTime);
    }

    /// <summary>An ACK went out: nothing is pending until the next ack-eliciting packet.</summary>
    public void OnAckSent()
    {
        _unackedAckEliciting = 0;
        AckNow = false;
        _ackDeadline = null;
    }

    /// <summary>The peer acknowledged a packet carrying our ACK up to <paramref name="largest"/>: stop repeating those ranges.</summary>
    public void OnAckAcknowledged(long largest)
    {
        // Keep the largest itself so the next ACK frame is never empty while packets keep coming.
        _floor = Math.Max(_floor, Math.Min(largest, LargestReceived));
        _received.Remove(0, _floor);
    }
}
