using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>
/// Connection migration and NAT rebinding (RFC 9000 Section 9): a client that moves to a new local port or address, a
/// server whose peer appears at a new address. The core has no addresses; its driver (client) or endpoint (server)
/// tells it the path changed, and it does what the path change requires: a fresh connection ID for the new path where
/// one is spare (Section 9.5), path validation with PATH_CHALLENGE and PATH_RESPONSE (Section 8.2), the
/// anti-amplification limit on an unvalidated path (Section 9.3), and fresh congestion and RTT state (Section 9.4).
/// A validation that gets no PATH_RESPONSE in time fails (Section 8.2.4): the connection goes back to the path it came
/// from when that one was validated, and ends when it was not.
/// </summary>
public sealed partial class QuicConnection
{
    private PathValidation? _path;

    /// <summary>Path changes so far (ours and the peer's).</summary>
    public int PathChanges { get; private set; }

    /// <summary>False while the current path awaits its PATH_RESPONSE.</summary>
    public bool IsPathValidated => _path is null || _path.Validated;

    /// <summary>Path validations abandoned for want of a PATH_RESPONSE (RFC 9000 Section 8.2.4).</summary>
    public int PathValidationFailures { get; private set; }

    /// <summary>When an unanswered path validation is given up; null when none is pending.</summary>
    private TimeSpan? PathValidationDeadline => _path is { Validated: false } path ? path.Deadline : null;

    /// <summary>
    /// Client: the driver has moved to a new local port (or address); packets from now on leave from there. Sends a
    /// PATH_CHALLENGE on the new path and, where the peer allows active migration and has given us a spare connection
    /// ID, moves to it so the two paths cannot be linked (RFC 9000 Section 9.5). False (and nothing changes) before the
    /// handshake is confirmed: Section 9 forbids migrating earlier.
    /// </summary>
    public bool MigrateToNewPath(TimeSpan now, bool portOnly)
    {
        if (Role != QuicRole.Client)
        {
            throw new InvalidOperationException("only a client moves its own path; a server follows its peer (OnPeerAddressChanged)");
        }

        if (!IsHandshakeConfirmed || _closeDeadline is not null || IsTerminated)
        {
            return false;
        }

        // A peer that disabled active migration still meets NAT rebindings: we rebind as a NAT would, on the same ID. Once
        // at its preferred address, the restriction is gone (RFC 9000 Sections 9 and 18.2).
        var deliberate = _peerParameters?.DisableActiveMigration != true || _atPreferredAddress;
        StartPathValidation(now, portOnly, byPeer: false, newConnectionId: deliberate && SwitchDestinationConnectionId(), limitAmplification: false, Statistics.BytesReceived,
            deliberate ? "the client moved to a new local " + (portOnly ? "port" : "address") : "rebinding (the server disabled active migration)");
        return true;
    }

    /// <summary>
    /// Server: an authenticated packet arrived from a new peer address (the endpoint has already moved the connection's
    /// destination there). Validates the new path, limits what is sent there to three times what came from it until
    /// then, and answers on a fresh connection ID where one is spare (RFC 9000 Sections 9.3 and 9.5).
    /// <paramref name="datagramLength"/> is the size of the datagram that came from there: it counts toward that limit.
    /// </summary>
    public void OnPeerAddressChanged(TimeSpan now, bool portOnly, int datagramLength)
    {
        if (Role != QuicRole.Server || !IsHandshakeComplete || _closeDeadline is not null || IsTerminated)
        {
            return;
        }

        StartPathValidation(now, portOnly, byPeer: true, newConnectionId: SwitchDestinationConnectionId(), limitAmplification: true, Statistics.BytesReceived - datagramLength,
            portOnly ? "the client's port changed (NAT rebinding)" : "the client's address changed");
    }

    private void StartPathValidation(TimeSpan now, bool portOnly, bool byPeer, bool newConnectionId, bool limitAmplification, long receivedAtStart, string description)
    {
        var challenge = BitConverter.ToUInt64(RandomBytes(8));
        // Section 8.2.4: three times the larger of the current PTO and a new path's first PTO (from kInitialRtt), taken
        // before the RTT estimate is reset for the new path.
        var currentPto = _loss.ProbeTimeout + _loss.MaxAckDelay;
        var newPathPto = (RttEstimator.InitialRtt * 3) + _loss.MaxAckDelay;
        var deadline = now + (3 * (currentPto > newPathPto ? currentPto : newPathPto));
        // A server can always go back: the endpoint remembers the last address that was validated (Section 9.3.2).
        var fallback = Role == QuicRole.Server || IsPathValidated;
        _path = new PathValidation(challenge, now, deadline, fallback, receivedAtStart, Statistics.BytesSent, limitAmplification);
        _pendingControl.Enqueue(new PathChallengeFrame(challenge));
        PathChanges++;

        // RFC 9000 Section 9.4: the old path's window and RTT say nothing of the new one, unless only the port moved.
        // The old path's are kept: a validation that fails goes back there, where they still hold (Section 9.3.2).
        if (!portOnly)
        {
            _path.PreviousPath = (_congestion.Snapshot(), _rtt.Snapshot());
            ResetCongestionForNewPath(now);
        }

        // RFC 9000 Section 13.4.2: ECN is validated per path; the new one starts in testing, whatever the old one did.
        OnEcnNewPath(description);

        var changed = new QuicPathChanged(byPeer, newConnectionId, !portOnly, description);
        Note(byPeer ? WireDirection.Received : WireDirection.Sent, changed.ToString());
        Emit(changed);
    }

    /// <summary>RFC 9000 Section 9.4: initial window and RTT, and nothing sent before now counts for the new path.</summary>
    private void ResetCongestionForNewPath(TimeSpan now)
    {
        _congestion.ResetForNewPath(now);
        _rtt.ResetForNewPath();
        _loss.PathStart = now;
    }

    /// <summary>A line in the wire view about the path (no packet of its own): what changed, and when it was validated.</summary>
    private void Note(WireDirection direction, string text) =>
        _tap.Record(new WireRecord(direction, WireLayer.Quic, ReadOnlyMemory<byte>.Empty,
            new QuicPacketTrace(QuicPacketType.OneRtt, _version, _destinationConnectionId, ReadOnlyMemory<byte>.Empty, -1, 0, false, [], text)));

    private void OnPathResponse(PathResponseFrame response, TimeSpan now)
    {
        if (OnProbeResponse(response, now))
        {
            return;
        }

        if (_path is not { Validated: false } path || response.Data != path.Challenge)
        {
            // A late or stray response proves nothing about the path in use (RFC 9000 Section 8.2.3).
            return;
        }

        path.Validated = true;
        var validated = new QuicPathValidated(now - path.Started);
        Note(WireDirection.Received, validated.ToString());
        Emit(validated);
    }

    /// <summary>
    /// No PATH_RESPONSE came in time (RFC 9000 Section 8.2.4): the new path is unusable. With a validated path to go back
    /// to, the connection returns there (its driver or endpoint moves back on <see cref="QuicPathValidationFailed"/>, and
    /// Section 9.3.2 requires it of a server); without one it ends, silently, as there is no path to say so on.
    /// </summary>
    private void OnPathValidationTimeout(TimeSpan now)
    {
        var path = _path!;
        _path = null;
        PathValidationFailures++;
        var failed = new QuicPathValidationFailed(now - path.Started, path.HasFallback);
        Note(WireDirection.Sent, failed.ToString());
        Emit(failed);
        if (!path.HasFallback)
        {
            TerminateWith(new QuicConnectionClosed(false, false, 0, 0, failed.ToString()));
            return;
        }

        // Back on the previous path: its window and RTT estimate, not the initial ones the failed path started from.
        if (path.PreviousPath is var (congestion, rtt))
        {
            _congestion.Restore(congestion);
            _rtt.Restore(rtt);
            // What was sent toward the failed path says nothing of this one either.
            _loss.PathStart = now;
        }
    }

    /// <summary>A lost PATH_CHALLENGE for the path still being validated goes out again; others are history.</summary>
    private bool RequeuePathChallenge(PathChallengeFrame challenge)
    {
        if (_path is { Validated: false } path && path.Challenge == challenge.Data)
        {
            _pendingControl.Enqueue(challenge);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The datagram limit on a path the peer has not yet proven it owns: three times what arrived on it, less what we
    /// sent there (RFC 9000 Sections 8 and 9.3); <paramref name="limit"/> when no such limit applies.
    /// </summary>
    private int LimitForUnvalidatedPath(int limit)
    {
        if (_path is not { Validated: false, LimitsAmplification: true } path)
        {
            return limit;
        }

        var budget = (3 * (Statistics.BytesReceived - path.ReceivedAtStart)) - (Statistics.BytesSent - path.SentAtStart);
        return (int)Math.Clamp(budget, 0, limit);
    }

    private sealed class PathValidation(ulong challenge, TimeSpan started, TimeSpan deadline, bool hasFallback, long receivedAtStart, long sentAtStart, bool limitsAmplification)
    {
        public ulong Challenge { get; } = challenge;

        public TimeSpan Started { get; } = started;

        public TimeSpan Deadline { get; } = deadline;

        /// <summary>Whether the path before this one was validated, so the connection can go back to it on failure.</summary>
        public bool HasFallback { get; } = hasFallback;

        public long ReceivedAtStart { get; } = receivedAtStart;

        public long SentAtStart { get; } = sentAtStart;

        public bool LimitsAmplification { get; } = limitsAmplification;

        public bool Validated { get; set; }

        /// <summary>The congestion and RTT state of the path before this one, when the move reset them (RFC 9000 Section 9.4).</summary>
        public (CongestionSnapshot Congestion, RttSnapshot Rtt)? PreviousPath { get; set; }
    }
}
