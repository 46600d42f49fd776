namespace Hxi.Protocols.Quic.Recovery;

/// <summary>
/// Spreads a window's worth of packets over a round trip (RFC 9002 Section 7.7): a token bucket refilled at
/// 1.25 × cwnd / smoothed_rtt, holding what that rate sends in <see cref="BurstInterval"/>, from ten datagrams up to
/// <see cref="MaxBurstPackets"/>, so bursts stay bounded.
/// </summary>
/// <remarks>
/// A bucket of ten datagrams alone makes a fast sender (loopback, a LAN) stop every ten packets and ask the OS to wake
/// it microseconds later: one system call and one wake-up per ten packets, and on a busy machine each wake-up comes
/// late. Two milliseconds' worth, as quinn paces, lets one wake-up fill a GSO batch (up to 64 datagrams).
/// </remarks>
public sealed class Pacer(int maxDatagramSize = 1200)
{
    private const int BurstPackets = 10;

    private const int MaxBurstPackets = 64;

    private static readonly TimeSpan BurstInterval = TimeSpan.FromMilliseconds(2);

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
            var rate = Rate(congestionWindow, smoothedRtt);
            var capacity = Math.Clamp(rate * BurstInterval.TotalSeconds, BurstPackets * (double)maxDatagramSize, MaxBurstPackets * (double)maxDatagramSize);
            _tokens = Math.Min(capacity, _tokens + elapsed * rate);
        }
    }

    private static double Rate(long congestionWindow, TimeSpan smoothedRtt) =>
        1.25 * congestionWindow / Math.Max(smoothedRtt.TotalSeconds, 0.000_1);
}
