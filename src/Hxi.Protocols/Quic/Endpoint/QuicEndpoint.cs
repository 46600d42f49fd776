using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Packets;

namespace Hxi.Protocols.Quic.Endpoint;

/// <summary>
/// A server's QUIC endpoint as a sans-IO state machine (quinn-proto's <c>Endpoint</c> is the model): every datagram of
/// one UDP socket in (<see cref="ReceiveDatagram"/>), every datagram to send out (<see cref="WriteDatagram"/>), one
/// timer (<see cref="NextTimeout"/>, <see cref="HandleTimeout"/>), facts out (<see cref="TryPollEvent"/>).
/// </summary>
/// <remarks>
/// It routes packets to connections by every connection ID they issued (and a client's first Destination Connection
/// ID during the handshake), answers what no connection owns without keeping state — Version Negotiation (RFC 9000
/// Section 6), Retry with address-validation tokens (Section 8.1.2), stateless resets (Section 10.3), refusals — and
/// creates a connection only for a client Initial that decrypted, so a datagram that does not costs no memory beyond
/// the call. It limits connections and handshakes in progress and drops handshakes that do not complete in time.
/// Split by concern: <c>.Accept.cs</c> (a client's first Initial), <c>.Stateless.cs</c> (answers without a connection).
/// </remarks>
public sealed partial class QuicEndpoint : IDisposable
{
    /// <summary>Datagrams a busy connection sends in one turn before the next connection's turn.</summary>
    private const int SendBurst = 16;

    private readonly QuicEndpointOptions _options;
    private readonly int _connectionIdLength;
    private readonly Dictionary<byte[], QuicEndpointConnection> _routes = new(ConnectionIdComparer.Instance);
    private readonly Dictionary<byte[], QuicEndpointConnection> _initialRoutes = new(ConnectionIdComparer.Instance);
    private readonly Dictionary<byte[], QuicEndpointConnection>.AlternateLookup<ReadOnlySpan<byte>> _routesBySpan;
    private readonly Dictionary<byte[], QuicEndpointConnection>.AlternateLookup<ReadOnlySpan<byte>> _initialRoutesBySpan;
    private readonly PriorityQueue<QuicEndpointConnection, TimeSpan> _timers = new();
    private readonly Queue<QuicEndpointConnection> _sendQueue = new();
    private readonly Queue<QuicEndpointEvent> _events = new();
    private readonly List<QuicEndpointConnection> _due = [];
    private readonly Random? _random;

    public QuicEndpoint(QuicEndpointOptions options)
    {
        if (options.Connection.Role != QuicRole.Server || options.Connection.Certificate is null)
        {
            throw new InvalidOperationException("a QUIC endpoint accepts server connections: give it the server role and a certificate");
        }

        if (options.Connection.ConnectionIdLength < QuicConnectionId.MinInitialLength)
        {
            // Short headers are routed by our IDs alone, so they must be long enough to be unguessable and unique.
            throw new InvalidOperationException($"an endpoint's connection IDs are at least {QuicConnectionId.MinInitialLength} bytes");
        }

        _options = options;
        _connectionIdLength = options.Connection.ConnectionIdLength;
        _routesBySpan = _routes.GetAlternateLookup<ReadOnlySpan<byte>>();
        _initialRoutesBySpan = _initialRoutes.GetAlternateLookup<ReadOnlySpan<byte>>();
        _random = options.Connection.Random;
        var key = options.StaticKey ?? RandomNumberGenerator.GetBytes(32);
        if (key.Length < 32)
        {
            throw new InvalidOperationException("an endpoint's static key is 32 bytes");
        }

        _tokens = new QuicAddressToken(key.AsSpan(0, 16));
        _resetKey = key.AsSpan(16, 16).ToArray();
        _budget = new StatelessBudget(options.StatelessPacketsPerSecond);
    }

    public QuicEndpointStatistics Statistics { get; } = new();

    /// <summary>Connections held, handshakes in progress included.</summary>
    public int ConnectionCount { get; private set; }

    /// <summary>Connections whose handshake has not completed yet.</summary>
    public int HandshakesInProgress { get; private set; }

    /// <summary>Connection IDs that route somewhere: ours and clients' first ones.</summary>
    public int RoutedConnectionIds => _routes.Count + _initialRoutes.Count;

    /// <summary>Entries in the timer queue, stale ones included (they are bounded: see <see cref="Reschedule"/>).</summary>
    public int TimerEntries => _timers.Count;

    /// <summary>Whether packets to <paramref name="connectionId"/> reach a connection (one of ours, or a client's first).</summary>
    public bool Routes(ReadOnlySpan<byte> connectionId) =>
        _routesBySpan.ContainsKey(connectionId) || _initialRoutesBySpan.ContainsKey(connectionId);

    // The ECN codepoint of the datagram ReceiveDatagram is delivering, and the socket it came to.
    private EcnCodepoint _receivingEcn;
    private bool _receivingAtPreferredAddress;

    public bool TryPollEvent(out QuicEndpointEvent e) => _events.TryDequeue(out e!);

    /// <summary>Whether a client's Initial of <paramref name="version"/> may start a connection here (the others get Version Negotiation).</summary>
    public bool AcceptsVersion(uint version) => QuicVersion.IsSupported(version) && _options.Connection.Versions.Contains(version);

    /// <summary>
    /// Feeds one datagram from <paramref name="remote"/>. Returns the connection it went to (new or not), whose events
    /// the owner should now poll; null when the endpoint answered or dropped it by itself.
    /// </summary>
    /// <param name="ecn">The ECN bits of the datagram's IP header, counted by the connection it reaches (RFC 9000 Section 13.4.1).</param>
    public QuicEndpointConnection? ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote, TimeSpan now, EcnCodepoint ecn = EcnCodepoint.NotEct) =>
        ReceiveDatagram(datagram, remote, atPreferredAddress: false, now, ecn);

    /// <summary>
    /// <see cref="ReceiveDatagram(ReadOnlySpan{byte}, IPEndPoint, TimeSpan, EcnCodepoint)"/> for a server with two sockets:
    /// <paramref name="atPreferredAddress"/> says the datagram reached the one of the preferred address (RFC 9000 Section 9.6).
    /// </summary>
    public QuicEndpointConnection? ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote, bool atPreferredAddress, TimeSpan now, EcnCodepoint ecn = EcnCodepoint.NotEct)
    {
        _receivingEcn = ecn;
        _receivingAtPreferredAddress = atPreferredAddress;
        Statistics.DatagramsReceived++;
        if (datagram.IsEmpty)
        {
            return Dropped();
        }

        if ((datagram[0] & 0x80) == 0)
        {
            // A short header names one of our IDs, all of one length, right after the first byte.
            if (datagram.Length < 1 + _connectionIdLength)
            {
                return Dropped();
            }

            if (_routesBySpan.TryGetValue(datagram.Slice(1, _connectionIdLength), out var owner))
            {
                if (atPreferredAddress != owner.AtPreferredAddress)
                {
                    // RFC 9000 Section 9.6.2: once the move to the preferred address is validated, packets at the original
                    // address are late or forged; the server SHOULD drop the newer ones (and MAY take delayed ones: it does not).
                    return owner.AtPreferredAddress && owner.ValidatedAtPreferredAddress
                        ? Dropped()
                        : DeliverOnOtherLocalAddress(owner, datagram, remote, now);
                }

                return remote.Equals(owner.Remote) ? Deliver(owner, datagram, now) : DeliverFromNewAddress(owner, datagram, remote, now);
            }

            SendStatelessReset(datagram, remote, now);
            return null;
        }

        // The long header's invariant fields (RFC 8999 Section 5.1): version and both connection IDs, any version.
        if (datagram.Length < 7)
        {
            return Dropped();
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(datagram[1..]);
        int destinationLength = datagram[5];
        if (6 + destinationLength >= datagram.Length)
        {
            return Dropped();
        }

        var destination = datagram.Slice(6, destinationLength);
        int sourceLength = datagram[6 + destinationLength];
        if (7 + destinationLength + sourceLength > datagram.Length)
        {
            return Dropped();
        }

        var source = datagram.Slice(7 + destinationLength, sourceLength);
        if (version == QuicVersion.VersionNegotiation)
        {
            // A server never negotiates; answering one would let two endpoints ping-pong.
            return Dropped();
        }

        if (!AcceptsVersion(version))
        {
            SendVersionNegotiation(datagram.Length, destination, source, remote, now);
            return null;
        }

        if (destinationLength > QuicConnectionId.MaxLength || sourceLength > QuicConnectionId.MaxLength)
        {
            return Dropped();
        }

        if (_routesBySpan.TryGetValue(destination, out var connection) || _initialRoutesBySpan.TryGetValue(destination, out connection))
        {
            return Deliver(connection, datagram, now);
        }

        // Only an Initial may start a connection; a Handshake or 0-RTT packet for no one is dropped.
        if (QuicPacketTypes.LongType(datagram[0] >> 4, version) != QuicPacketType.Initial)
        {
            return Dropped();
        }

        return Accept(datagram, version, remote, now);
    }

    /// <summary>Writes the next datagram to send and where it goes; 0 (and no address) when there is nothing now.</summary>
    public int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? remote) => WriteDatagram(destination, now, out remote, out _);

    /// <summary>
    /// <see cref="WriteDatagram(Span{byte}, TimeSpan, out IPEndPoint?)"/>, and the ECN codepoint the datagram must carry
    /// (Not-ECT for the endpoint's own packets: Version Negotiation, Retry, resets).
    /// </summary>
    public int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? remote, out EcnCodepoint ecn) =>
        WriteDatagram(destination, now, out remote, out _, out ecn);

    /// <summary>
    /// The next datagram, where it goes, and whether it leaves from the preferred address's socket (RFC 9000 Section 9.6):
    /// each connection's datagrams leave from the local address of its path, probes from the probed one's.
    /// </summary>
    public int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? remote, out bool fromPreferredAddress, out EcnCodepoint ecn)
    {
        ecn = EcnCodepoint.NotEct;
        // The endpoint's own answers leave from where the datagram they answer came.
        if (TryTakeStateless(destination, out var length, out remote, out fromPreferredAddress))
        {
            return length;
        }

        while (_sendQueue.TryPeek(out var connection))
        {
            if (connection.Removed)
            {
                _sendQueue.Dequeue();
                connection.QueuedToSend = false;
                continue;
            }

            if (connection.Burst < SendBurst)
            {
                if (connection.ProbeRemote is { } probed && (length = connection.Connection.WriteProbeDatagram(destination, now)) > 0)
                {
                    connection.Burst++;
                    remote = probed;
                    fromPreferredAddress = connection.ProbeAtPreferredAddress;
                    return length;
                }

                length = connection.Connection.WriteDatagram(destination, now, out ecn);
                if (length > 0)
                {
                    connection.Burst++;
                    remote = connection.Remote;
                    fromPreferredAddress = connection.AtPreferredAddress;
                    return length;
                }

                // Nothing more from it for now: off the queue, and its timer set from where it stands.
                _sendQueue.Dequeue();
                connection.QueuedToSend = false;
                connection.Burst = 0;
                AfterInput(connection, now, queueToSend: false);
                continue;
            }

            // Its turn is up: to the back of the queue, so one bulk transfer does not hold the others back.
            _sendQueue.Dequeue();
            connection.Burst = 0;
            _sendQueue.Enqueue(connection);
        }

        remote = null;
        return 0;
    }

    /// <summary>When <see cref="HandleTimeout"/> must run: the earliest timer of any connection; null when none is armed.</summary>
    public TimeSpan? NextTimeout
    {
        get
        {
            if (_stateless.Count > 0 || _sendQueue.Count > 0)
            {
                return TimeSpan.Zero;
            }

            // Stale entries (the connection's deadline moved, or it is gone) are thrown away on the way.
            while (_timers.TryPeek(out var connection, out var due))
            {
                if (!connection.Removed && connection.ScheduledAt == due)
                {
                    return due;
                }

                _timers.Dequeue();
            }

            return null;
        }
    }

    /// <summary>Runs every connection timer that is due, and drops handshakes that took too long.</summary>
    public void HandleTimeout(TimeSpan now)
    {
        // Take the due ones first: a connection whose timer is still due after it ran waits for the next call,
        // rather than running again and again in this one.
        _due.Clear();
        while (_timers.TryPeek(out var connection, out var due) && due <= now)
        {
            _timers.Dequeue();
            if (!connection.Removed && connection.ScheduledAt == due)
            {
                connection.ScheduledAt = null;
                _due.Add(connection);
            }
        }

        foreach (var connection in _due)
        {
            if (connection.Removed)
            {
                continue;
            }

            if (!connection.HandshakeDone && now >= connection.HandshakeDeadline)
            {
                Statistics.HandshakesTimedOut++;
                connection.Connection.Abandon($"the handshake did not complete within {_options.HandshakeTimeout.TotalSeconds:0.###} s");
                Remove(connection, "handshake timeout");
                continue;
            }

            connection.Connection.HandleTimeout(now);
            AfterInput(connection, now, queueToSend: true);
        }
    }

    /// <summary>
    /// The owner changed <paramref name="connection"/> outside the endpoint's calls (wrote to a stream, closed it):
    /// look for datagrams to send and re-arm its timer.
    /// </summary>
    public void Wake(QuicEndpointConnection connection, TimeSpan now)
    {
        if (!connection.Removed)
        {
            AfterInput(connection, now, queueToSend: true);
        }
    }

    public void Dispose()
    {
        _tokens.Dispose();
        _initialTrial.Dispose();
    }

    private QuicEndpointConnection? Dropped()
    {
        Statistics.DatagramsDropped++;
        return null;
    }

    private QuicEndpointConnection? Deliver(QuicEndpointConnection connection, ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        connection.Connection.ReceiveDatagram(datagram, now, _receivingEcn);
        AfterInput(connection, now, queueToSend: true);
        return connection;
    }

    /// <summary>After anything reached a connection: forget it if it ended, count its handshake, queue it to send, re-arm its timer.</summary>
    private void AfterInput(QuicEndpointConnection connection, TimeSpan now, bool queueToSend)
    {
        var core = connection.Connection;
        if (core.IsTerminated)
        {
            Remove(connection, core.CloseReason?.Describe() ?? "terminated");
            return;
        }

        if (!connection.HandshakeDone && core.IsHandshakeComplete)
        {
            connection.HandshakeDone = true;
            HandshakesInProgress--;
        }

        FollowPathValidation(connection);

        if (queueToSend && !connection.QueuedToSend)
        {
            connection.QueuedToSend = true;
            _sendQueue.Enqueue(connection);
        }

        Reschedule(connection);
    }

    /// <summary>Keeps one live timer entry per connection: the earlier of its own timer and its handshake deadline.</summary>
    private void Reschedule(QuicEndpointConnection connection)
    {
        var due = connection.Connection.NextTimeout;
        if (!connection.HandshakeDone && (due is null || connection.HandshakeDeadline < due))
        {
            due = connection.HandshakeDeadline;
        }

        if (due == connection.ScheduledAt)
        {
            return;
        }

        connection.ScheduledAt = due;
        if (due is { } at)
        {
            _timers.Enqueue(connection, at);
        }

        // A deadline that moves at every packet leaves stale entries behind; rebuild before they outnumber the live ones.
        if (_timers.Count > (4 * ConnectionCount) + 1024)
        {
            _timers.Clear();
            foreach (var live in _routes.Values.Concat(_initialRoutes.Values).Distinct())
            {
                if (live.ScheduledAt is { } scheduled)
                {
                    _timers.Enqueue(live, scheduled);
                }
            }
        }
    }

    private void Remove(QuicEndpointConnection connection, string reason)
    {
        if (connection.Removed)
        {
            return;
        }

        connection.Removed = true;
        connection.ScheduledAt = null;
        foreach (var id in connection.RoutedIds)
        {
            if (_routes.TryGetValue(id, out var owner) && owner == connection)
            {
                _routes.Remove(id);
            }
        }

        connection.RoutedIds.Clear();
        if (_initialRoutes.TryGetValue(connection.ClientDestinationConnectionId, out var initialOwner) && initialOwner == connection)
        {
            _initialRoutes.Remove(connection.ClientDestinationConnectionId);
        }

        ConnectionCount--;
        if (!connection.HandshakeDone)
        {
            HandshakesInProgress--;
        }

        _events.Enqueue(new QuicConnectionRemoved(connection, reason));
    }

    /// <summary>A connection ID of our length that routes nowhere yet (nor to a client's first ID).</summary>
    internal byte[] NewConnectionId(int length)
    {
        var id = new byte[length];
        do
        {
            // Seeded in tests so runs repeat; otherwise the system's generator, as a lone connection does.
            if (_random is not null)
            {
                _random.NextBytes(id);
            }
            else
            {
                RandomNumberGenerator.Fill(id);
            }
        }
        while (_routes.ContainsKey(id) || _initialRoutes.ContainsKey(id));

        return id;
    }

    internal void Route(byte[] connectionId, QuicEndpointConnection connection)
    {
        if (connection.Removed || !_routes.TryAdd(connectionId, connection))
        {
            return;
        }

        connection.RoutedIds.Add(connectionId);
    }

    internal void Unroute(byte[] connectionId, QuicEndpointConnection connection)
    {
        if (_routes.TryGetValue(connectionId, out var owner) && owner == connection)
        {
            _routes.Remove(connectionId);
            connection.RoutedIds.RemoveAll(id => id.AsSpan().SequenceEqual(connectionId));
        }
    }
}
