using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>
/// ECN (RFC 9000 Section 13.4, RFC 9002 Section 7.1): the codepoint of every received datagram is counted per packet
/// number space and reported in ACK_ECN frames; with <see cref="QuicConnectionOptions.EcnMarking"/> our 1-RTT datagrams
/// go out ECT(0) while <see cref="EcnValidator"/> trusts the path, and an increase of the peer's ECN-CE count is a
/// congestion event.
/// </summary>
public sealed partial class QuicConnection
{
    // Null when we do not mark (the option is off): the peer's counts are then not checked, but ours are still reported.
    private EcnValidator? _ecn;
    private readonly EcnReceiveCounts[] _ecnReceived = [new(), new(), new()];

    // The codepoint of the datagram being received, for every packet in it.
    private EcnCodepoint _receivingEcn;

    /// <summary>The ECN validation state of the path; null when the connection does not mark its packets.</summary>
    public EcnState? EcnState => _ecn?.State;

    /// <summary>ECN-CE increases the peer reported in validated ACK frames.</summary>
    public ulong EcnCeReported => _ecn?.CeReported ?? 0;

    /// <summary>The codepoints counted in one packet number space, as our ACK frames report them.</summary>
    public EcnReceiveCounts EcnCountsReceived(QuicPacketNumberSpace space) => _ecnReceived[(int)space];

    /// <summary>Stops marking (the driver's socket cannot set the ECN bits, say); never fails the connection.</summary>
    public void DisableEcn(string reason)
    {
        if (_ecn?.Disable(reason) is { } change)
        {
            RecordEcn(change);
        }
    }

    private void CountEcn(QuicPacketSpace space) => _ecnReceived[(int)space.Space].Add(_receivingEcn);

    /// <summary>The codepoint for the planned datagram: ECT(0) only when every packet in it is 1-RTT.</summary>
    private EcnCodepoint EcnForPlannedDatagram()
    {
        if (_ecn is not { } ecn || ecn.Codepoint == EcnCodepoint.NotEct)
        {
            return EcnCodepoint.NotEct;
        }

        foreach (var planned in _planned)
        {
            if (planned.Space.Space != QuicPacketNumberSpace.ApplicationData || planned.Space.SendKeys is null)
            {
                return EcnCodepoint.NotEct;
            }
        }

        return ecn.Codepoint;
    }

    private void OnEcnPacketSent(QuicPacketNumberSpace space, EcnCodepoint codepoint)
    {
        if (_ecn?.OnPacketSent(space, codepoint) is { } change)
        {
            RecordEcn(change);
        }
    }

    /// <summary>Section 13.4.2.1 for one ACK frame, then RFC 9002's ProcessECN: more CE is a congestion event.</summary>
    private void OnEcnAck(QuicPacketSpace space, QuicEcnCounts? counts, bool largestIncreased, AckOutcome outcome, TimeSpan now)
    {
        if (_ecn is not { } ecn || outcome.Acked.Count == 0)
        {
            return;
        }

        var marked = 0;
        foreach (var packet in outcome.Acked)
        {
            marked += packet.EcnMarked ? 1 : 0;
        }

        var (change, congestion) = ecn.OnAckReceived(space.Space, marked, largestIncreased, counts);
        if (change is not null)
        {
            RecordEcn(change);
        }

        if (congestion)
        {
            // The largest acknowledged was newly acknowledged (largestIncreased), so it is the last of the sorted list.
            var before = _congestion.CongestionWindow;
            _congestion.OnCongestionExperienced(outcome.Acked[^1].TimeSent, now);
            if (_tracing)
            {
                _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, ReadOnlyMemory<byte>.Empty,
                    new EcnCongestionExperienced(counts!.Value.Ce, before, _congestion.CongestionWindow)));
            }
        }
    }

    private void OnEcnLost(IReadOnlyList<SentPacket> lost)
    {
        if (_ecn is null || lost.Count == 0)
        {
            return;
        }

        var marked = 0;
        foreach (var packet in lost)
        {
            marked += packet.EcnMarked ? 1 : 0;
        }

        if (_ecn.OnPacketsLost(marked) is { } change)
        {
            RecordEcn(change);
        }
    }

    private void OnEcnNewPath(string description)
    {
        if (_ecn?.RestartTesting($"new path: {description}") is { } change)
        {
            RecordEcn(change);
        }
    }

    private void RecordEcn(EcnStateChange change)
    {
        if (_tracing)
        {
            _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, ReadOnlyMemory<byte>.Empty, change));
        }
    }
}
