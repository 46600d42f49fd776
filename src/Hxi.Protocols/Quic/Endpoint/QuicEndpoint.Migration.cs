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
    /// A packet for a connection that reached the other socket than its path's: a client probing or moving to the server's
    /// preferred address (RFC 9000 Section 9.6.2), or coming back. The core answers a probe on the path it came on; only a
    /// non-probing packet that raises the largest packet number seen moves the connection there (Section 9.3), and from
    /// then on every datagram of it leaves from that socket.
    /// </summary>
    private QuicEndpointConnection DeliverOnOtherLocalAddress(QuicEndpointConnection connection, ReadOnlySpan<byte> datagram, IPEndPoint remote, TimeSpan now)
    {
        var core = connection.Connection;
        if (!core.IsHandshakeConfirmed)
        {
            // Section 9: no path changes before the handshake is done; the packet counts, the path does not.
            return Deliver(connection, datagram, now)!;
        }

        var authenticated = core.Statistics.PacketsReceived;
        var largestNonProbing = core.LargestNonProbingPacketNumber;
        core.ReceiveProbeDatagram(datagram, now, _receivingEcn);
        if (core.Statistics.PacketsReceived > authenticated && !core.IsTerminated)
        {
            if (core.LargestNonProbingPacketNumber > largestNonProbing)
            {
                var from = connection.Remote;
                connection.Remote = remote;
                connection.AtPreferredAddress = _receivingAtPreferredAddress;
                connection.ProbeRemote = null;
                Statistics.PathChanges++;
                core.OnPeerMovedToProbedPath(now, portOnly: from.Address.Equals(remote.Address), datagram.Length);
                _events.Enqueue(new QuicConnectionMigrated(connection, from, remote, _receivingAtPreferredAddress));
            }
            else if (core.IsProbingPath)
            {
                connection.ProbeRemote = remote;
                connection.ProbeAtPreferredAddress = _receivingAtPreferredAddress;
            }
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
            if (!connection.Remote.Equals(connection.ValidatedRemote) || connection.AtPreferredAddress != connection.ValidatedAtPreferredAddress)
            {
                var from = connection.Remote;
                connection.Remote = connection.ValidatedRemote;
                connection.AtPreferredAddress = connection.ValidatedAtPreferredAddress;
                _events.Enqueue(new QuicConnectionMigrated(connection, from, connection.Remote, connection.AtPreferredAddress));
            }
        }
        else if (core.IsPathValidated)
        {
            connection.ValidatedRemote = connection.Remote;
            connection.ValidatedAtPreferredAddress = connection.AtPreferredAddress;
        }

        if (!core.IsProbingPath)
        {
            connection.ProbeRemote = null;
        }
    }
}

/// <summary>
/// A connection's client appeared at a new address (RFC 9000 Section 9); datagrams go there from now on, from the
/// preferred address's socket when <paramref name="AtPreferredAddress"/> (Section 9.6).
/// </summary>
public sealed record QuicConnectionMigrated(QuicEndpointConnection Connection, IPEndPoint From, IPEndPoint To, bool AtPreferredAddress = false) : QuicEndpointEvent;
