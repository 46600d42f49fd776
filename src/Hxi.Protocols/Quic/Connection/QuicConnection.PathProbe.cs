using System.Net;
using System.Net.Sockets;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>
/// Probing a second path while the connection stays on its own (RFC 9000 Sections 9.1 and 9.6): the server's preferred
/// address. A client probes the address the server offered with PATH_CHALLENGE on the connection ID of sequence 1 and
/// moves there only once the server answered (Section 9.6.1 and 21.5.3: no non-probing frame goes there before). A server
/// answers a probe that reached its preferred address on that path and probes the client back from there (Section 9.6.2);
/// it moves only when its endpoint sees a non-probing packet on that path (<see cref="OnPeerMovedToProbedPath"/>).
/// The probe path carries only probing packets, written by <see cref="WriteProbeDatagram"/>: PATH_CHALLENGE,
/// PATH_RESPONSE and PADDING to 1200 bytes. They are not in flight: a probe that is never answered neither shrinks the
/// congestion window of the path in use nor delays it (Section 9.4 allows probes their own loss detection); the
/// challenge is sent again on its own timer.
/// </summary>
public sealed partial class QuicConnection
{
    /// <summary>PATH_RESPONSEs owed on the probed path at most; a peer that sends more challenges gets answers to the latest.</summary>
    private const int MaxProbeResponses = 4;

    private PathProbe? _probe;
    private bool _receivingOnProbePath;
    private bool _preferredAddressProbed;
    private QuicPreferredAddress? _offeredPreferredAddress;
    private bool _atPreferredAddress;

    /// <summary>
    /// The largest packet number of a 1-RTT packet with a non-probing frame (RFC 9000 Section 9.1); an endpoint moves a
    /// connection to a new path only when a packet there raises it (Section 9.3). -1 before any.
    /// </summary>
    public long LargestNonProbingPacketNumber { get; private set; } = -1;

    /// <summary>Whether a second path is being probed (or, on a server, was validated by probing and awaits the client's move).</summary>
    public bool IsProbingPath => _probe is not null;

    /// <summary>
    /// Client: starts validating the server's preferred address (RFC 9000 Section 9.6.1) on the connection ID its
    /// transport parameter carried. <paramref name="portOnly"/> says whether only ports differ between the two paths,
    /// which keeps congestion state when the move happens (Section 9.4). False (nothing starts) before the handshake is
    /// confirmed, when the server offered no address, when the client was told not to, or after one probe already.
    /// </summary>
    public bool ProbePreferredAddress(TimeSpan now, bool portOnly)
    {
        if (Role != QuicRole.Client)
        {
            throw new InvalidOperationException("only a client moves to a server's preferred address");
        }

        if (!IsHandshakeConfirmed || _closeDeadline is not null || IsTerminated || _probe is not null || _preferredAddressProbed
            || !_options.UsePreferredAddress || _peerParameters?.PreferredAddress is null)
        {
            return false;
        }

        // Sequence 1 is the preferred address's own ID, but Section 9.6.3 lets any unused one serve (a rebind may have taken it).
        if (_peerIds.TakeForProbe(1) is not { } id)
        {
            return false;
        }

        _preferredAddressProbed = true;
        StartProbe(now, id, ownsId: true, portOnly, $"the server's preferred address, on connection ID {QuicConnectionId.Format(id.ConnectionId)} (sequence {id.Sequence})");
        return true;
    }

    /// <summary>
    /// A datagram that arrived on the probed path rather than the one in use (the server's preferred address): its
    /// PATH_CHALLENGEs are answered on that path, and a server starts probing that path itself (RFC 9000 Section 9.6.2).
    /// </summary>
    public void ReceiveProbeDatagram(ReadOnlySpan<byte> datagram, TimeSpan now, Ecn.EcnCodepoint ecn = Ecn.EcnCodepoint.NotEct)
    {
        _receivingOnProbePath = true;
        try
        {
            ReceiveDatagram(datagram, now, ecn);
        }
        finally
        {
            _receivingOnProbePath = false;
        }

        if (_probe is { } probe)
        {
            probe.ReceivedOnPath += datagram.Length;
        }
    }

    /// <summary>
    /// Server: a non-probing packet with a new largest packet number arrived on the probed path (RFC 9000 Section 9.6.2):
    /// the client moved there, and so do we. A path the probe already validated is used at once; otherwise it is validated
    /// now, under the anti-amplification limit (Section 9.3).
    /// </summary>
    public void OnPeerMovedToProbedPath(TimeSpan now, bool portOnly, int datagramLength)
    {
        if (Role != QuicRole.Server)
        {
            throw new InvalidOperationException("a client moves to a probed path when its probe is answered");
        }

        if (_probe is not { } probe)
        {
            OnPeerAddressChanged(now, portOnly, datagramLength);
            return;
        }

        _probe = null;
        var newId = probe.OwnsId && AdoptProbedId(probe);
        MoveProbeResponses(probe);
        const string description = "the client moved to the server's preferred address";
        if (!probe.Validated)
        {
            StartPathValidation(now, portOnly, byPeer: true, newId, limitAmplification: true, Statistics.BytesReceived - datagramLength, description);
            return;
        }

        _path = null;
        MoveToValidatedPath(now, byPeer: true, newId, portOnly, description + " (validated by probing)");
    }

    /// <summary>Writes the next probing datagram for the probed path; 0 when it has nothing to say now.</summary>
    public int WriteProbeDatagram(Span<byte> destination, TimeSpan now)
    {
        var app = _spaces[(int)QuicPacketNumberSpace.ApplicationData];
        if (_probe is not { } probe || IsTerminated || _closeDeadline is not null || app.SendKeys is null || destination.Length < MinimumInitialDatagram
            || (!probe.ChallengePending && probe.Responses.Count == 0))
        {
            return 0;
        }

        // A server sends at most three times what came in on a path it has not validated (RFC 9000 Section 8.2.1, 9.3).
        if (Role == QuicRole.Server && !probe.Validated && probe.SentOnPath + MinimumInitialDatagram > 3 * probe.ReceivedOnPath)
        {
            return 0;
        }

        var frames = new List<QuicFrame>(2);
        if (probe.ChallengePending)
        {
            probe.ChallengePending = false;
            var challenge = BitConverter.ToUInt64(RandomBytes(8));
            probe.Challenges.Add(challenge);
            frames.Add(new PathChallengeFrame(challenge));
        }

        while (probe.Responses.TryDequeue(out var response))
        {
            frames.Add(new PathResponseFrame(response));
        }

        var packetNumber = app.NextPacketNumber++;
        var pnLength = PacketNumberLength(QuicPacketNumberSpace.ApplicationData, packetNumber);
        var destinationId = probe.Id.ConnectionId;

        // Sections 8.2.1 and 8.2.2: expanded to 1200 bytes, which also shows the path carries datagrams that large.
        Span<byte> payload = stackalloc byte[MinimumInitialDatagram];
        var written = 0;
        foreach (var frame in frames)
        {
            frame.TryWrite(payload[written..], out var length);
            written += length;
        }

        var padded = Math.Max(written, MinimumInitialDatagram - (1 + destinationId.Length + pnLength + QuicCipherSuites.TagLength));
        payload[written..padded].Clear();
        var size = QuicPacketWriter.WriteShortHeaderPacket(destination, app.SendKeys, destinationId, false, (ulong)packetNumber, pnLength, payload[..padded]);
        _loss.OnPacketSent(QuicPacketNumberSpace.ApplicationData, new SentPacket(packetNumber, now, size, AckEliciting: false, InFlight: false), now);
        probe.SentOnPath += size;
        Statistics.PacketsSent++;
        Statistics.DatagramsSent++;
        Statistics.BytesSent += size;
        if (_tracing)
        {
            var datagram = destination[..size].ToArray();
            _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, datagram, new QuicDatagramTrace(size, 1)));
            _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, datagram,
                new QuicPacketTrace(QuicPacketType.OneRtt, _version, destinationId, ReadOnlyMemory<byte>.Empty, packetNumber, size, app.SendKeys.KeyPhase, frames)));
        }

        return size;
    }

    /// <summary>Server: the preferred_address transport parameter, made once, with our connection ID of sequence 1 (RFC 9000 Section 5.1.1).</summary>
    private QuicPreferredAddress? OfferPreferredAddress()
    {
        if (_offeredPreferredAddress is not null || _options.PreferredAddress is not { } address)
        {
            return _offeredPreferredAddress;
        }

        // Section 18.2: a server that chose a zero-length connection ID must not offer an address (there is no ID to give).
        if (_localIds.IssuePreferredAddressId(NewConnectionId) is not { } id)
        {
            return null;
        }

        _binding?.Host.OnConnectionIdIssued(id);
        Emit(new QuicConnectionIdIssued(1, id));
        // Section 18.2: the family not offered is all zeros, address and port.
        var v4 = address.AddressFamily == AddressFamily.InterNetwork ? address : new IPEndPoint(IPAddress.Any, 0);
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6 ? address : new IPEndPoint(IPAddress.IPv6Any, 0);
        return _offeredPreferredAddress = new QuicPreferredAddress(v4, v6, id, ResetTokenFor(id));
    }

    /// <summary>Client: what Section 18.2 requires of a server's preferred_address beyond its encoding.</summary>
    private void ValidatePreferredAddress(QuicTransportParameters parameters)
    {
        if (Role != QuicRole.Client || parameters.PreferredAddress is not { } preferred)
        {
            return;
        }

        if (_destinationConnectionId.Length == 0)
        {
            throw new QuicTransportException(QuicTransportErrorCode.TransportParameterError, 0,
                "preferred_address from a server that chose a zero-length connection ID (RFC 9000 Section 18.2)");
        }

        if (preferred.ConnectionId.AsSpan().SequenceEqual(_destinationConnectionId))
        {
            throw new QuicTransportException(QuicTransportErrorCode.TransportParameterError, 0,
                "preferred_address carries the handshake's connection ID as sequence 1 (RFC 9000 Section 5.1.1)");
        }
    }

    /// <summary>Client: the preferred address's connection ID is the server's sequence 1, usable on any path (RFC 9000 Section 9.6.3).</summary>
    private void AcceptPreferredAddressId(QuicTransportParameters parameters)
    {
        if (Role == QuicRole.Client && parameters.PreferredAddress is { } preferred)
        {
            _peerIds.AddPreferredAddressId(preferred.ConnectionId, preferred.StatelessResetToken);
        }
    }

    private void StartProbe(TimeSpan now, PeerConnectionId id, bool ownsId, bool portOnly, string description)
    {
        // As for a path change (Section 8.2.4): given up after three times the larger of the current PTO and a new path's.
        var currentPto = _loss.ProbeTimeout + _loss.MaxAckDelay;
        var newPathPto = (RttEstimator.InitialRtt * 3) + _loss.MaxAckDelay;
        var interval = currentPto > newPathPto ? currentPto : newPathPto;
        _probe = new PathProbe(id, ownsId, portOnly, now, now + (3 * interval), newPathPto, description);
        var started = new QuicPathProbeStarted(Role == QuicRole.Server, description);
        Note(Role == QuicRole.Server ? WireDirection.Received : WireDirection.Sent, started.ToString());
        Emit(started);
    }

    /// <summary>A PATH_CHALLENGE: answered on the path it came on (RFC 9000 Section 8.2.2).</summary>
    private void OnPathChallenge(PathChallengeFrame challenge, TimeSpan now)
    {
        if (_receivingOnProbePath && IsHandshakeConfirmed)
        {
            if (_probe is null && Role == QuicRole.Server)
            {
                // Section 9.6.2: the server probes the client from its preferred address, on a fresh ID of the client's where it has one.
                var spare = _peerIds.TakeForProbe(null);
                StartProbe(now, spare ?? new PeerConnectionId(_peerIds.CurrentSequence, _destinationConnectionId, null), spare is not null, portOnly: false,
                    "a client probed the server's preferred address");
            }

            if (_probe is { } probe)
            {
                if (probe.Responses.Count == MaxProbeResponses)
                {
                    probe.Responses.Dequeue();
                }

                probe.Responses.Enqueue(challenge.Data);
                return;
            }
        }

        _pendingControl.Enqueue(new PathResponseFrame(challenge.Data));
    }

    /// <summary>A PATH_RESPONSE that echoes one of the probe's challenges; false when it is not one of them.</summary>
    private bool OnProbeResponse(PathResponseFrame response, TimeSpan now)
    {
        if (_probe is not { Validated: false } probe || !probe.Challenges.Contains(response.Data))
        {
            return false;
        }

        probe.Validated = true;
        var validated = new QuicPathProbeValidated(now - probe.Started, Migrated: Role == QuicRole.Client);
        Note(WireDirection.Received, validated.ToString());
        Emit(validated);
        if (Role == QuicRole.Client)
        {
            // Section 9.6.1: validated, so everything goes to the preferred address from now on, on its connection ID.
            _probe = null;
            _atPreferredAddress = true;
            AdoptProbedId(probe);
            MoveProbeResponses(probe);
            _path = null;
            MoveToValidatedPath(now, byPeer: false, newConnectionId: true, probe.PortOnly, "moved to the server's preferred address");
        }

        return true;
    }

    /// <summary>The probe timer: the challenge again after each new-path PTO, and failure at the deadline (RFC 9000 Section 8.2.4).</summary>
    private void OnProbeTimer(TimeSpan now)
    {
        if (_probe is not { Validated: false } probe)
        {
            return;
        }

        if (now >= probe.Deadline)
        {
            _probe = null;
            if (probe.OwnsId)
            {
                // Seen on the abandoned path: never to be used on another (Section 9.5).
                _peerIds.RetireProbed(probe.Id);
                _pendingControl.Enqueue(new RetireConnectionIdFrame(probe.Id.Sequence));
            }

            var failed = new QuicPathProbeFailed(now - probe.Started);
            Note(WireDirection.Sent, failed.ToString());
            Emit(failed);
            return;
        }

        if (now >= probe.NextChallenge)
        {
            probe.ChallengePending = Role == QuicRole.Client || probe.ReceivedOnPath > 0;
            probe.NextChallenge = now + probe.Interval;
        }
    }

    private TimeSpan? ProbeDeadline => _probe is { Validated: false } probe ? (probe.NextChallenge < probe.Deadline ? probe.NextChallenge : probe.Deadline) : null;

    private bool AdoptProbedId(PathProbe probe)
    {
        if (!probe.OwnsId)
        {
            return false;
        }

        _destinationConnectionId = probe.Id.ConnectionId;
        _pendingControl.Enqueue(new RetireConnectionIdFrame(_peerIds.Adopt(probe.Id)));
        return true;
    }

    /// <summary>Answers owed on the probed path go in ordinary packets once it is the path in use.</summary>
    private void MoveProbeResponses(PathProbe probe)
    {
        while (probe.Responses.TryDequeue(out var data))
        {
            _pendingControl.Enqueue(new PathResponseFrame(data));
        }
    }

    /// <summary>The connection is on a path already validated: fresh congestion state unless only a port changed (RFC 9000 Section 9.4).</summary>
    private void MoveToValidatedPath(TimeSpan now, bool byPeer, bool newConnectionId, bool portOnly, string description)
    {
        PathChanges++;
        if (!portOnly)
        {
            ResetCongestionForNewPath(now);
        }

        OnEcnNewPath(description);
        var changed = new QuicPathChanged(byPeer, newConnectionId, !portOnly, description);
        Note(byPeer ? WireDirection.Received : WireDirection.Sent, changed.ToString());
        Emit(changed);
    }

    /// <summary>Whether a 1-RTT payload has a frame other than PADDING, PATH_CHALLENGE, PATH_RESPONSE, NEW_CONNECTION_ID (RFC 9000 Section 9.1).</summary>
    private static bool HasNonProbingFrame(IReadOnlyList<QuicFrame> frames)
    {
        foreach (var frame in frames)
        {
            if (frame is not (PaddingFrame or PathChallengeFrame or PathResponseFrame or NewConnectionIdFrame))
            {
                return true;
            }
        }

        return false;
    }

    private void OnPacketProbingKnown(long packetNumber, bool nonProbing)
    {
        if (nonProbing && packetNumber > LargestNonProbingPacketNumber)
        {
            LargestNonProbingPacketNumber = packetNumber;
        }
    }

    private sealed class PathProbe(PeerConnectionId id, bool ownsId, bool portOnly, TimeSpan started, TimeSpan deadline, TimeSpan interval, string description)
    {
        /// <summary>The peer's connection ID the probe packets carry.</summary>
        public PeerConnectionId Id { get; } = id;

        /// <summary>Whether <see cref="Id"/> was taken for this path (false: the ID in use, for want of a spare one).</summary>
        public bool OwnsId { get; } = ownsId;

        public bool PortOnly { get; } = portOnly;

        public TimeSpan Started { get; } = started;

        public TimeSpan Deadline { get; } = deadline;

        public TimeSpan Interval { get; } = interval;

        public TimeSpan NextChallenge { get; set; } = started + interval;

        public string Description { get; } = description;

        /// <summary>Every challenge sent on the path: an answer to any of them validates it (RFC 9000 Section 8.2.3).</summary>
        public List<ulong> Challenges { get; } = [];

        public bool ChallengePending { get; set; } = true;

        /// <summary>PATH_CHALLENGE data that came on the probed path, to echo there.</summary>
        public Queue<ulong> Responses { get; } = new();

        public bool Validated { get; set; }

        public long ReceivedOnPath { get; set; }

        public long SentOnPath { get; set; }
    }
}
