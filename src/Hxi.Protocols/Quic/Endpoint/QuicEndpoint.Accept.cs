using System.Net;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Quic.Endpoint;

public sealed partial class QuicEndpoint
{
    // One scratch copy for trial decryption; the endpoint is driven by one thread.
    private readonly byte[] _scratch = new byte[65_536];

    /// <summary>
    /// A client Initial for no connection we know. Cheap checks first (size, DCID length, header), then trial decryption
    /// with the Initial keys of its DCID (RFC 9001 Section 5.2): only a packet that decrypts gets an answer or a
    /// connection. Then the token, the Retry policy and the limits decide.
    /// </summary>
    private QuicEndpointConnection? Accept(ReadOnlySpan<byte> datagram, IPEndPoint remote, TimeSpan now)
    {
        // RFC 9000 Section 14.1: a server discards a client Initial in a datagram under 1200 bytes.
        // Section 7.2: the client's first Destination Connection ID is at least 8 bytes.
        if (datagram.Length < QuicDatagram.MinimumInitialDatagramLength || datagram.Length > _scratch.Length
            || datagram[5] < QuicConnectionId.MinInitialLength)
        {
            return Dropped();
        }

        datagram.CopyTo(_scratch);
        var copy = _scratch.AsMemory(0, datagram.Length);
        if (!QuicPacketParser.TryParse(copy, _connectionIdLength, out var header, out _) || header.Type != QuicPacketType.Initial)
        {
            return Dropped();
        }

        var secrets = QuicInitialSecrets.Derive(header.DestinationConnectionId.Span);
        using (var clientKeys = new QuicPacketKeys(QuicCipherSuite.Aes128GcmSha256, secrets.ClientSecret))
        {
            var packet = System.Runtime.InteropServices.MemoryMarshal.AsMemory(header.Packet).Span;
            if (!clientKeys.TryUnprotect(packet, header.PacketNumberOffset, null, out _))
            {
                Statistics.UndecryptableInitials++;
                return Dropped();
            }
        }

        // The header fields are still in the clear in the original datagram; take them from there.
        var destination = datagram.Slice(6, datagram[5]).ToArray();
        var source = datagram.Slice(7 + destination.Length, datagram[6 + destination.Length]).ToArray();
        var token = header.Token.Span;
        byte[] original = destination;
        byte[]? retrySource = null;
        var validated = false;
        switch (_tokens.Validate(token, remote, destination, now, _options.RetryTokenLifetime, out var fromToken))
        {
            case QuicAddressToken.Outcome.Valid:
                original = fromToken;
                retrySource = destination;
                validated = true;
                break;
            case QuicAddressToken.Outcome.Invalid:
                // RFC 9000 Section 8.1.3: the client will not take another Retry; tell it now rather than let it time out.
                SendInitialClose(secrets, source, destination, QuicTransportErrorCode.InvalidToken, "invalid or expired address validation token", remote, now);
                return null;
        }

        if (!validated && (_options.AlwaysRetry || HandshakesInProgress >= _options.RetryAboveHandshakes))
        {
            SendRetry(source, destination, remote, now);
            return null;
        }

        if (ConnectionCount >= _options.MaxConnections || HandshakesInProgress >= _options.MaxHandshakes)
        {
            SendInitialClose(secrets, source, destination, QuicTransportErrorCode.ConnectionRefused, "the server is at its connection limit", remote, now);
            return null;
        }

        var connection = new QuicEndpointConnection(this, remote, destination, now + _options.HandshakeTimeout);
        connection.Connection = new QuicConnection(
            _options.Connection,
            _options.ConnectionTap?.Invoke(remote),
            new QuicServerBinding(original, retrySource, validated, connection));
        ConnectionCount++;
        HandshakesInProgress++;
        Statistics.ConnectionsAccepted++;
        _initialRoutes.TryAdd(destination, connection);
        Route(connection.Connection.SourceConnectionId.ToArray(), connection);
        _events.Enqueue(new QuicConnectionAccepted(connection));
        return Deliver(connection, datagram, now);
    }
}
