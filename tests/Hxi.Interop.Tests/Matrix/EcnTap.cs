using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Trace;

namespace Hxi.Interop.Tests;

/// <summary>A server-side tap for the ecn case: each datagram's codepoint each way, the peer's ACK_ECN counts, and ECN validation's moves.</summary>
public sealed class EcnTap : IWireTap
{
    private readonly Lock _gate = new();
    private readonly List<EcnCodepoint> _sent = [];
    private readonly List<EcnCodepoint> _received = [];
    private readonly List<QuicEcnCounts> _peerCounts = [];
    private readonly List<QuicEcnCounts> _ownCounts = [];
    private readonly List<EcnStateChange> _states = [];

    public void Record(in WireRecord record)
    {
        lock (_gate)
        {
            switch (record.Decoded)
            {
                case QuicDatagramTrace datagram:
                    (record.Direction == WireDirection.Sent ? _sent : _received).Add(datagram.Ecn);
                    break;
                case QuicPacketTrace packet:
                    foreach (var frame in packet.Frames)
                    {
                        if (frame is AckFrame { EcnCounts: { } counts })
                        {
                            (record.Direction == WireDirection.Sent ? _ownCounts : _peerCounts).Add(counts);
                        }
                    }

                    break;
                case EcnStateChange change:
                    _states.Add(change);
                    break;
            }
        }
    }

    public IReadOnlyList<EcnCodepoint> Sent => Snapshot(_sent);

    public IReadOnlyList<EcnCodepoint> Received => Snapshot(_received);

    /// <summary>The counts in the peer's ACK_ECN frames.</summary>
    public IReadOnlyList<QuicEcnCounts> PeerCounts => Snapshot(_peerCounts);

    /// <summary>The counts in our own ACK_ECN frames.</summary>
    public IReadOnlyList<QuicEcnCounts> OwnCounts => Snapshot(_ownCounts);

    public IReadOnlyList<EcnStateChange> States => Snapshot(_states);

    public override string ToString()
    {
        lock (_gate)
        {
            return $"sent {Describe(_sent)}; received {Describe(_received)}; {_peerCounts.Count} ACK_ECN from the peer, {_ownCounts.Count} sent; states: "
                + string.Join("; ", _states.Select(s => $"{s.Old} -> {s.New} ({s.Trigger})"));
        }
    }

    private static string Describe(List<EcnCodepoint> codepoints) =>
        string.Join(", ", codepoints.GroupBy(c => c).Select(g => $"{g.Count()} {EcnCodepoints.Name(g.Key)}"));

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }
}
