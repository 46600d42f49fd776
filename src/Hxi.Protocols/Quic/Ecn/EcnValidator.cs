using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Protocols.Quic.Ecn;

/// <summary>The ECN state of a path, as RFC 9000 Appendix A.4 names them (and qlog's ECNState).</summary>
public enum EcnState
{
    /// <summary>The first packets go out marked ECT(0) to see what the path and the peer make of them.</summary>
    Testing,

    /// <summary>Testing is over and no acknowledgment has proven the marks yet: packets go out unmarked.</summary>
    Unknown,

    /// <summary>The peer's counts matched what we marked: every 1-RTT packet goes out ECT(0).</summary>
    Capable,

    /// <summary>The counts were missing or wrong, or every marked packet was lost: no more marks on this path.</summary>
    Failed,
}

/// <summary>The ECN state changed, and why (qlog's ecn_state_updated).</summary>
public sealed record EcnStateChange(EcnState Old, EcnState New, string Trigger);

/// <summary>
/// ECN validation for one path (RFC 9000 Sections 13.4.2 and Appendix A.4): marks the first <see cref="TestingPackets"/>
/// 1-RTT packets ECT(0), then checks every ACK frame that raises the largest acknowledged packet against the marks it
/// newly acknowledges. A failure only stops the marking; it never closes the connection.
/// </summary>
/// <remarks>
/// Only 1-RTT packets are marked, as quic-go and quinn do: a middlebox that drops marked packets then costs no handshake.
/// </remarks>
public sealed class EcnValidator
{
    /// <summary>Marked packets sent before the state becomes "unknown" (Section 13.4.2 suggests ten).</summary>
    public const int TestingPackets = 10;

    private readonly ulong[] _sentEct0 = new ulong[3];
    private readonly QuicEcnCounts[] _validated = new QuicEcnCounts[3];
    private int _testingSent;
    private long _markedLost;
    private long _markedAcknowledged;

    public EcnState State { get; private set; } = EcnState.Testing;

    /// <summary>What the next 1-RTT packet is marked with.</summary>
    public EcnCodepoint Codepoint => State is EcnState.Testing or EcnState.Capable ? EcnCodepoint.Ect0 : EcnCodepoint.NotEct;

    /// <summary>ECN-CE increases the peer reported (each a possible congestion event, RFC 9002 Section 7.1).</summary>
    public ulong CeReported { get; private set; }

    public EcnStateChange? OnPacketSent(QuicPacketNumberSpace space, EcnCodepoint codepoint)
    {
        if (codepoint != EcnCodepoint.Ect0)
        {
            return null;
        }

        _sentEct0[(int)space]++;
        if (State == EcnState.Testing && ++_testingSent >= TestingPackets)
        {
            return Move(EcnState.Unknown, $"{TestingPackets} packets sent marked ECT(0); waiting for the peer's counts");
        }

        return null;
    }

    /// <summary>Packets declared lost, <paramref name="markedLost"/> of them marked: all marks lost fails validation.</summary>
    public EcnStateChange? OnPacketsLost(int markedLost)
    {
        _markedLost += markedLost;
        if (State == EcnState.Unknown && _markedAcknowledged == 0 && markedLost > 0 && _markedLost >= _testingSent)
        {
            return Move(EcnState.Failed, $"all {_testingSent} packets marked ECT(0) were lost");
        }

        return null;
    }

    /// <summary>
    /// Section 13.4.2.1 for one ACK frame in <paramref name="space"/>: <paramref name="newlyAcknowledgedMarked"/> of the
    /// packets it newly acknowledges went out ECT(0). Returns the state change, if any, and whether ECN-CE increased.
    /// </summary>
    public (EcnStateChange? Change, bool CongestionExperienced) OnAckReceived(
        QuicPacketNumberSpace space, int newlyAcknowledgedMarked, bool largestIncreased, QuicEcnCounts? counts)
    {
        // A reordered ACK frame must not fail validation; its counts are older than the ones already checked.
        if (State == EcnState.Failed || !largestIncreased)
        {
            return (null, false);
        }

        if (counts is not { } reported)
        {
            return newlyAcknowledgedMarked > 0
                ? (Move(EcnState.Failed, $"an ACK frame without ECN counts acknowledged {newlyAcknowledgedMarked} packet(s) marked ECT(0): the path clears the marks or the peer does not report them"), false)
                : (null, false);
        }

        var before = _validated[(int)space];
        if (reported.Ect0 < before.Ect0 || reported.Ect1 < before.Ect1 || reported.Ce < before.Ce)
        {
            return (Move(EcnState.Failed, $"ECN counts went down ({Describe(before)} before, {Describe(reported)} now)"), false);
        }

        var increase = (reported.Ect0 - before.Ect0) + (reported.Ce - before.Ce);
        if (increase < (ulong)newlyAcknowledgedMarked)
        {
            return (Move(EcnState.Failed, $"the peer counted {increase} ECT(0)/CE for {newlyAcknowledgedMarked} newly acknowledged packet(s) marked ECT(0): the marks were cleared or the peer does not count them"), false);
        }

        if (reported.Ect0 > _sentEct0[(int)space] || reported.Ect1 > 0)
        {
            return (Move(EcnState.Failed, $"the peer counted more marks than were sent ({Describe(reported)}, {_sentEct0[(int)space]} sent ECT(0), none ECT(1)): the path remarks packets"), false);
        }

        _validated[(int)space] = reported;
        _markedAcknowledged += newlyAcknowledgedMarked;
        var congestion = reported.Ce > before.Ce;
        if (congestion)
        {
            CeReported += reported.Ce - before.Ce;
        }

        if (State is EcnState.Testing or EcnState.Unknown && newlyAcknowledgedMarked > 0)
        {
            return (Move(EcnState.Capable, $"the peer's counts match {newlyAcknowledgedMarked} acknowledged packet(s) marked ECT(0)"), congestion);
        }

        return (null, congestion);
    }

    /// <summary>Stops marking for a local reason (the socket cannot set the bits, the user said --no-ecn).</summary>
    public EcnStateChange? Disable(string reason) => State == EcnState.Failed ? null : Move(EcnState.Failed, reason);

    /// <summary>A new path is tested from the start (RFC 9000 Section 9.4); counts already validated stay the baseline.</summary>
    public EcnStateChange? RestartTesting(string reason)
    {
        _testingSent = 0;
        _markedLost = 0;
        _markedAcknowledged = 0;
        return State == EcnState.Testing ? null : Move(EcnState.Testing, reason);
    }

    /// <summary>qlog's ECNState names.</summary>
    public static string Name(EcnState state) => state switch
    {
        EcnState.Testing => "testing",
        EcnState.Unknown => "unknown",
        EcnState.Capable => "capable",
        _ => "failed",
    };

    private static string Describe(QuicEcnCounts counts) => $"ect0={counts.Ect0} ect1={counts.Ect1} ce={counts.Ce}";

    private EcnStateChange Move(EcnState next, string trigger)
    {
        var change = new EcnStateChange(State, next, trigger);
        State = next;
        return change;
    }
}
