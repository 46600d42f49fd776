using System.Collections.Concurrent;
using Hxi.Net.Tests;

namespace Hxi.Interop.Tests;

/// <summary>
/// The network each quic-interop-runner case runs over, made by the test kit's relay (tc netem is not available here).
/// Seeded, so a failing case fails again the same way. Shares are the runner's where they keep the suite short.
/// </summary>
public static class MatrixLinks
{
    /// <summary>longrtt: the runner's 1.5 s round trip, half each way.</summary>
    public static readonly LinkConditions LongRtt = new() { Delay = TimeSpan.FromMilliseconds(750) };

    /// <summary>handshakeloss: 30% of datagrams lost each way (the runner's share).</summary>
    public static readonly LinkConditions HandshakeLoss = new() { Loss = 0.30 };

    /// <summary>transferloss: 2% each way.</summary>
    public static readonly LinkConditions TransferLoss = new() { Loss = 0.02 };

    /// <summary>handshakecorruption: 30% of datagrams get a flipped bit each way.</summary>
    public static readonly LinkConditions HandshakeCorruption = new() { Corrupt = 0.30 };

    /// <summary>transfercorruption: 2% each way.</summary>
    public static readonly LinkConditions TransferCorruption = new() { Corrupt = 0.02 };

    /// <summary>The performance case: 5% loss, 5% reordering, 1% duplication, 1% corruption, each way.</summary>
    public static readonly LinkConditions Hostile = new() { Loss = 0.05, Reorder = 0.05, Duplicate = 0.01, Corrupt = 0.01 };

    /// <summary>
    /// blackhole: once <paramref name="afterDatagramsToClient"/> datagrams have gone to the client (the transfer is
    /// under way), nothing passes either way for <paramref name="length"/>; then the path comes back.
    /// </summary>
    public static (LinkConditions ToServer, LinkConditions ToClient) Blackhole(int afterDatagramsToClient, TimeSpan length)
    {
        TimeSpan? start = null;
        var gate = new Lock();
        bool Dark(RelayedDatagram datagram)
        {
            lock (gate)
            {
                if (start is null && datagram.ToClient && datagram.Index >= afterDatagramsToClient)
                {
                    start = datagram.At;
                }

                return start is { } s && datagram.At >= s && datagram.At < s + length;
            }
        }

        return (new LinkConditions { DropWhen = Dark }, new LinkConditions { DropWhen = Dark });
    }

    /// <summary>
    /// amplificationlimit: the client's first datagram reaches the server, the next ones are lost for
    /// <paramref name="length"/>, so the server, unable to validate the address, may retransmit only up to three times
    /// what it received (RFC 9000 Section 8.1).
    /// </summary>
    public static LinkConditions ClientSilencedAfterFirstDatagram(TimeSpan length) =>
        new() { DropWhen = d => d.Index > 0 && d.At < length };
}

/// <summary>
/// Counts the server's bytes before its client's address is validated, as the relay saw them: validation (RFC 9000
/// Section 8.1) needs a second client datagram to arrive, so everything the server sent before one was forwarded counts.
/// </summary>
public sealed class AmplificationWatch
{
    private readonly Lock _gate = new();
    private long _clientBytes;
    private long _serverBytes;
    private bool _validated;

    public AmplificationWatch(UdpRelay relay, Func<RelayedDatagram, bool> forwarded)
    {
        relay.Observe = datagram =>
        {
            lock (_gate)
            {
                if (_validated)
                {
                    return;
                }

                if (datagram.ToClient)
                {
                    _serverBytes += datagram.Bytes.Length;
                }
                else if (datagram.Index == 0)
                {
                    _clientBytes = datagram.Bytes.Length;
                }
                else if (forwarded(datagram))
                {
                    _validated = true;
                }
            }
        };
    }

    public (long ClientBytes, long ServerBytes) BeforeValidation
    {
        get
        {
            lock (_gate)
            {
                return (_clientBytes, _serverBytes);
            }
        }
    }
}

/// <summary>The packet types a relay saw each way, for cases that check what a peer sent (a Retry).</summary>
public sealed class PacketTypeWatch
{
    private readonly ConcurrentQueue<(bool ToClient, SniffedPacket Type)> _seen = new();

    public PacketTypeWatch(UdpRelay relay) =>
        relay.Observe = datagram =>
        {
            foreach (var type in QuicDatagramSniffer.Packets(datagram.Bytes))
            {
                _seen.Enqueue((datagram.ToClient, type));
            }
        };

    public IReadOnlyList<SniffedPacket> ToClient => [.. _seen.Where(s => s.ToClient).Select(s => s.Type)];

    public IReadOnlyList<SniffedPacket> ToServer => [.. _seen.Where(s => !s.ToClient).Select(s => s.Type)];
}
