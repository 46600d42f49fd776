namespace Hxi.Protocols.Quic.Endpoint;

/// <summary>What a <see cref="QuicEndpoint"/> tells its owner about the connections it holds.</summary>
public abstract record QuicEndpointEvent;

/// <summary>A client's first Initial decrypted and passed every check: a connection exists and its handshake is under way.</summary>
public sealed record QuicConnectionAccepted(QuicEndpointConnection Connection) : QuicEndpointEvent;

/// <summary>The connection is gone (closed, drained, idle, or its handshake timed out); none of its connection IDs routes any more.</summary>
public sealed record QuicConnectionRemoved(QuicEndpointConnection Connection, string Reason) : QuicEndpointEvent;

/// <summary>Counters of what the endpoint did with datagrams, for tests, benchmarks and the server's log.</summary>
public sealed class QuicEndpointStatistics
{
    public long DatagramsReceived { get; internal set; }

    /// <summary>Connections moved to a new client address (NAT rebinding or migration, RFC 9000 Section 9).</summary>
    public long PathChanges { get; internal set; }

    /// <summary>Datagrams dropped before any connection saw them: malformed, too short, unroutable, undecryptable.</summary>
    public long DatagramsDropped { get; internal set; }

    /// <summary>Initials that failed to decrypt (RFC 9001 Section 5.2 keys from their DCID), dropped without state.</summary>
    public long UndecryptableInitials { get; internal set; }

    public long VersionNegotiationsSent { get; internal set; }

    public long RetriesSent { get; internal set; }

    public long StatelessResetsSent { get; internal set; }

    /// <summary>Initials answered with CONNECTION_CLOSE without a connection: INVALID_TOKEN or CONNECTION_REFUSED.</summary>
    public long InitialsRefused { get; internal set; }

    /// <summary>Stateless answers not sent because the rate limit was spent.</summary>
    public long StatelessPacketsSuppressed { get; internal set; }

    public long ConnectionsAccepted { get; internal set; }

    public long HandshakesTimedOut { get; internal set; }
}
