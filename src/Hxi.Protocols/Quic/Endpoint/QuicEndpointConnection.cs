using System.Net;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Protocols.Quic.Endpoint;

/// <summary>
/// One connection held by a <see cref="QuicEndpoint"/>: the core, the client's address, and what the endpoint needs to
/// route it, time it and forget it. The owner uses <see cref="Connection"/> for streams and events, and calls
/// <see cref="QuicEndpoint.Wake"/> after changing it outside the endpoint's calls.
/// </summary>
public sealed class QuicEndpointConnection : IQuicConnectionIdHost
{
    private readonly QuicEndpoint _endpoint;

    internal QuicEndpointConnection(QuicEndpoint endpoint, IPEndPoint remote, byte[] clientDestinationConnectionId, TimeSpan handshakeDeadline)
    {
        _endpoint = endpoint;
        Remote = remote;
        ValidatedRemote = remote;
        ClientDestinationConnectionId = clientDestinationConnectionId;
        HandshakeDeadline = handshakeDeadline;
    }

    /// <summary>The sans-IO connection; set once, right after the endpoint accepts it.</summary>
    public QuicConnection Connection { get; internal set; } = null!;

    /// <summary>
    /// Where the client is: its first Initial's address, then wherever an authenticated packet last came from once the
    /// handshake is done (a NAT rebinding or a migration, RFC 9000 Section 9). Every datagram of the connection goes there.
    /// </summary>
    public IPEndPoint Remote { get; internal set; }

    /// <summary>
    /// The last address the client proved it owns (its first, then each whose path validation succeeded): where the
    /// connection goes back to when validating a new address fails (RFC 9000 Section 9.3.2).
    /// </summary>
    public IPEndPoint ValidatedRemote { get; internal set; }

    /// <summary>Whether the client's path reaches the server's preferred address's socket (RFC 9000 Section 9.6) rather than the listening one.</summary>
    public bool AtPreferredAddress { get; internal set; }

    /// <summary>The socket of <see cref="ValidatedRemote"/>'s path: <see cref="AtPreferredAddress"/> when it was last validated.</summary>
    public bool ValidatedAtPreferredAddress { get; internal set; }

    /// <summary>Where the client probes the connection from on the other socket (RFC 9000 Section 9.6.2); null when no probe is under way.</summary>
    public IPEndPoint? ProbeRemote { get; internal set; }

    /// <summary>The socket the probe reached, which answers it.</summary>
    internal bool ProbeAtPreferredAddress { get; set; }

    /// <summary>The owner's own state for this connection (the server keeps its HTTP/3 session here).</summary>
    public object? State { get; set; }

    /// <summary>False once the endpoint has removed the connection.</summary>
    public bool IsActive => !Removed;

    /// <summary>The ID the client's Initials are sent to, routed until the connection goes.</summary>
    internal byte[] ClientDestinationConnectionId { get; }

    /// <summary>Our IDs that route to this connection (the handshake's and every NEW_CONNECTION_ID's, until retired).</summary>
    internal List<byte[]> RoutedIds { get; } = new(QuicConnection.MaxIssuedConnectionIds + 1);

    internal TimeSpan HandshakeDeadline { get; }

    /// <summary>The core's <see cref="QuicConnection.PathValidationFailures"/> when the endpoint last looked.</summary>
    internal int PathValidationFailuresSeen { get; set; }

    internal bool HandshakeDone { get; set; }

    internal bool Removed { get; set; }

    /// <summary>The deadline the endpoint's timer queue holds for this connection; entries that differ are stale.</summary>
    internal TimeSpan? ScheduledAt { get; set; }

    internal bool QueuedToSend { get; set; }

    /// <summary>Datagrams sent in this turn of the send queue; a busy connection yields to the others after a few.</summary>
    internal int Burst { get; set; }

    byte[] IQuicConnectionIdHost.NewConnectionId(int length) => _endpoint.NewConnectionId(length);

    byte[] IQuicConnectionIdHost.ResetTokenFor(ReadOnlySpan<byte> connectionId) => _endpoint.ResetTokenFor(connectionId);

    void IQuicConnectionIdHost.OnConnectionIdIssued(byte[] connectionId) => _endpoint.Route(connectionId, this);

    void IQuicConnectionIdHost.OnConnectionIdRetired(byte[] connectionId) => _endpoint.Unroute(connectionId, this);

    public override string ToString() => $"{Remote} {QuicConnectionId.Format(ClientDestinationConnectionId)}";
}
