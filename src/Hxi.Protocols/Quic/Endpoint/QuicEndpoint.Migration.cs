using System.Net;

namespace Hxi.Protocols.Quic.Endpoint;

public sealed partial class QuicEndpoint
{
    /// <summary>
    /// A 1-RTT packet for a connection, from an address that is not the client's (RFC 9000 Section 9): a NAT rebinding
    /// or a migration, or a forgery. Only a packet that authenticates moves the connection, and only once its handshake is
    /// complete; the connection then validates the new path before it trusts it with more than three times what came from it.
    /// </summary>
    private QuicEndpointConnection DeliverFromNewAddress(QuicEndpointConnection connection, ReadOnlySpan<byte> datagram, IPEndPoint remote, TimeSpan now)
    {
        var core = connection.Connection;
        if (!core.IsHandshakeComplete)
        {
            // Section 9: no migration before the handshake completes; the packet counts, the address does not.
            return Deliver(connection, datagram, now)!;
        }

        var authenticated = core.Statistics.PacketsReceived;
        core.ReceiveDatagram(datagram, now, _receivingEcn);
        if (core.Statistics.PacketsReceived > authenticated && !core.IsTerminated)
        {
            var from = connection.Remote;
            connection.Remote = remote;
            Statistics.PathChanges++;
            core.OnPeerAddressChanged(now, portOnly: from.Address.Equals(remote.Address), datagram.Length);
            _events.Enqueue(new QuicConnectionMigrated(connection, from, remote));
        }

        AfterInput(connection, now, queueToSend: true);
        return connection;
    }

    /// <summary>
    /// Keeps the connection's last validated address: a path validation that succeeded makes the current address it; one
    /// that failed sends the connection back there (RFC 9000 Section 9.3.2: revert to the last validated peer address).
    /// </summary>
    private void FollowPathValidation(QuicEndpointConnection connection)
    {
        var core = connection.Connection;
        if (core.PathValidationFailures != connection.PathValidationFailuresSeen)
        {
            connection.PathValidationFailuresSeen = core.PathValidationFailures;
            if (!connection.Remote.Equals(connection.ValidatedRemote))
            {
                var from = connection.Remote;
                connection.Remote = connection.ValidatedRemote;
                _events.Enqueue(new QuicConnectionMigrated(connection, from, connection.Remote));
            }
        }
        else if (core.IsPathValidated)
        {
            connection.ValidatedRemote = connection.Remote;
        }
    }
}

/// <summary>A connection's client appeared at a new address (RFC 9000 Section 9); datagrams go there from now on.</summary>
public sealed record QuicConnectionMigrated(QuicEndpointConnection Connection, IPEndPoint From, IPEndPoint To) : QuicEndpointEvent;
