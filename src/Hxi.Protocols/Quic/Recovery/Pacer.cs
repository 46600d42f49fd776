namespace Hxi.Protocols.Quic.Recovery;

/// <summary>
/// Spreads a window's worth of packets over a round trip (RFC 9002 Section 7.7): a token bucket
/// refilled at 1.25 × cwnd / smoothed_rtt, holding at most ten datagrams so bursts stay bounded.
/// </summary>
public sealed class Pacer(int maxDatagramSize = 1200)
{
    private const int BurstPackets = 10;

    private double _tokens = BurstPackets * maxDatagramSize;
    private TimeSpan _lastRefill;

    public TimeSpan? NextSendTime { get; private set; }

    /// <summary>When a packet of <paramref name="size"/> bytes may leave, given the current window and RTT.</summary>
    public TimeSpan TimeUntilSend(TimeSpan now, int size, long congestionWindow, TimeSpan smoothedRtt)
    {
        Refill(now, congestionWindow, smoothedRtt);
        if (_tokens >= size)
        {
            // Free to send now: no pacing timer (a stale one in the past would have the driver spin).
            NextSendTime = null;
            return TimeSpan.Zero;
        }

        var rate = Rate(congestionWindow, smoothedRtt);
        var wait = TimeSpan.FromSeconds((size - _tokens) / rate);
        // Held back with data to send: the timer must wake the sender then, whoever drives it.
        NextSendTime = now + wait;
        return wait;
    }

    public void OnPacketSent(TimeSpan now, int size, long congestionWindow, TimeSpan smoothedRtt)
    {
        Refill(now, congestionWindow, smoothedRtt);
        _tokens -= size;
        NextSendTime = _tokens >= 0 ? null : now + TimeSpan.FromSeconds(-_tokens / Rate(congestionWindow, smoothedRtt));
    }

    private void Refill(TimeSpan now, long congestionWindow, TimeSpan smoothedRtt)
    {
        var elapsed = (now - _lastRefill).TotalSeconds;
        _lastRefill = now;
        if (elapsed > 0)
        {
            _tokens = Math.Min(BurstPackets * (double)maxDatagramSize, _tokens + elapsed * Rate(congestionWindow, smoothedRtt));
        }
    }

    private static double Rate(long congestionWindow, TimeSpan smoothedRtt) =>
        1.25 * congestionWindow / Math.Max(smoothedRtt.TotalSeconds, 0.000_1);
}
