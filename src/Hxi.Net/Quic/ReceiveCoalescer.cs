namespace Hxi.Net.Quic;

/// <summary>
/// Receive coalescing for a client's bulk download: while full-size datagrams arrive fast but only a few per round of
/// the driver thread, it pauses briefly at the end of the round, so that its next round finds a batch.
/// </summary>
/// <remarks>
/// A server that sends without GSO (Caddy 2.6, quic-go) wakes the receiving thread for nearly every datagram: over a
/// 100 MB download from Caddy running in another terminal (another scheduling group), 55,000 to 80,000 wake-ups, and
/// the client spent 1.4 s of CPU, two thirds of it in the kernel. Pausing 250 µs after a round of fewer than one
/// recvmmsg batch brought that to about 0.5 s and the download from 2.0 s to 1.0-1.3 s (bench/README.md). The pause
/// comes after the round's ACKs are sent: only a datagram that arrives during it is acknowledged later, by at most
/// 250 µs, far inside the 25 ms max_ack_delay the peer allows for (RFC 9000 13.2.1).
/// Rounds of small datagrams (the ACKs of an upload, a handshake, a short response) never pause, nor does a slow flow:
/// there a pause gathers nothing and the sender, waiting on our ACKs, would slow down (through the loss bench's relay,
/// 10 MB took 3.1 s instead of 1.9 s before the rate condition).
/// </remarks>
internal sealed class ReceiveCoalescer
{
    /// <summary>How long a pause lasts at most.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMicroseconds(250);

    /// <summary>Datagrams this long or longer are a sender's full packets, not ACKs or control.</summary>
    public const int FullDatagramBytes = 1000;

    /// <summary>Rounds of full datagrams in a row before the flow counts as a bulk transfer.</summary>
    public const int BulkRounds = 4;

    /// <summary>A round with fewer datagrams than one recvmmsg batch woke too early.</summary>
    public const int SparseRound = 8;

    /// <summary>The arrival rate at which a pause gathers a batch: 4 datagrams or more in 250 µs.</summary>
    public const double FastDatagramsPerMillisecond = 16;

    /// <summary>The span over which the arrival rate is measured.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMilliseconds(2);

    private int _bulkRounds;
    private TimeSpan _windowStart;
    private long _windowDatagrams;
    private bool _fast;

    /// <summary>
    /// How long to pause after a round that received <paramref name="datagrams"/> datagrams of <paramref name="bytes"/>
    /// bytes in all; zero for no pause. Never past <paramref name="nextTimeout"/>, so no timer (a PTO, the ACK delay)
    /// runs late.
    /// </summary>
    public TimeSpan AfterRound(long datagrams, long bytes, TimeSpan now, TimeSpan? nextTimeout)
    {
        _windowDatagrams += datagrams;
        if (now - _windowStart >= RateWindow)
        {
            _fast = _windowDatagrams >= FastDatagramsPerMillisecond * (now - _windowStart).TotalMilliseconds;
            _windowStart = now;
            _windowDatagrams = 0;
        }

        _bulkRounds = datagrams > 0 && bytes >= datagrams * FullDatagramBytes ? _bulkRounds + 1 : 0;
        if (_bulkRounds < BulkRounds || datagrams >= SparseRound || !_fast)
        {
            return TimeSpan.Zero;
        }

        var pause = nextTimeout is { } due && due - now < Pause ? due - now : Pause;
        return pause > TimeSpan.Zero ? pause : TimeSpan.Zero;
    }
}
