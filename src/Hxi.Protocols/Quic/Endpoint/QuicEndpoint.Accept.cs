using System.Net;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Quic.Endpoint;

public sealed partial class QuicEndpoint
{
    // One scratch copy for trial decryption; the endpoint is driven by one thread.
    private readonly byte[] _scratch = new byte[65_536];
    private readonly InitialPacketTrial _initialTrial = new();

    /// <summary>
    /// A client Initial for no connection we know. Cheap checks first (size, DCID length, header), then trial decryption
    /// with the Initial keys of its DCID (RFC 9001 Section 5.2): only a packet that decrypts gets an answer or a
    /// connection. Then the token, the Retry policy and the limits decide.
    /// </summary>
    private QuicEndpointConnection? Accept(ReadOnlySpan<byte> datagram, uint version, IPEndPoint remote, TimeSpan now)
    {
        // RFC 9000 Section 14.1: a server discards a client Initial in a datagram under 1200 bytes.
        // Section 7.2: the client's first Destination Connection ID is at least 8 bytes.
        if (datagram.Length < QuicDatagram.MinimumInitialDatagramLength || datagram.Length > _scratch.Length
            || datagram[5] < QuicConnectionId.MinInitialLength)
        {
            return Dropped();
        }

        if (!TryReadInitialHeader(datagram, out var packetNumberOffset, out var packetEnd, out var tokenOffset, out var tokenLength))
        {
            return Dropped();
        }

        // Trial decryption on a scratch copy (the original stays for the connection, which opens it again).
        var destinationSpan = datagram.Slice(6, datagram[5]);
        var trial = _scratch.AsSpan(0, packetEnd);
        datagram[..packetEnd].CopyTo(trial);
        if (!_initialTrial.TryOpen(trial, destinationSpan, packetNumberOffset, version))
        {
            Statistics.UndecryptableInitials++;
            return Dropped();
        }

        // It decrypted: from here on the client has done its share, and the endpoint may spend on it.
        var destination = destinationSpan.ToArray();
        var source = datagram.Slice(7 + destination.Length, datagram[6 + destination.Length]).ToArray();
        var token = datagram.Slice(tokenOffset, tokenLength);
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
                SendInitialClose(source, destination, version, QuicTransportErrorCode.InvalidToken, "invalid or expired address validation token", remote, now);
                return null;
        }

        if (!validated && (_options.AlwaysRetry || HandshakesInProgress >= _options.RetryAboveHandshakes))
        {
            SendRetry(source, destination, version, remote, now);
            return null;
        }

        if (ConnectionCount >= _options.MaxConnections || HandshakesInProgress >= _options.MaxHandshakes)
        {
            SendInitialClose(source, destination, version, QuicTransportErrorCode.ConnectionRefused, "the server is at its connection limit", remote, now);
            return null;
        }

        var connection = new QuicEndpointConnection(this, remote, destination, now + _options.HandshakeTimeout)
        {
            AtPreferredAddress = _receivingAtPreferredAddress,
            ValidatedAtPreferredAddress = _receivingAtPreferredAddress,
        };
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

    /// <summary>
    /// The fields of a version 1 Initial's long header (RFC 9000 Section 17.2.2), read in place: where the packet number
    /// starts, where the packet ends (a datagram may coalesce more after it), and where its token lies.
    /// </summary>
    /// <remarks>
    /// <code>
    /// Initial Packet {
    ///   Header Form (1) = 1, Fixed Bit (1) = 1, Long Packet Type (2) = 0, Reserved Bits (2), Packet Number Length (2),
    ///   Version (32), Destination Connection ID Length (8), Destination Connection ID (0..160),
    ///   Source Connection ID Length (8), Source Connection ID (0..160),
    ///   Token Length (i), Token (..), Length (i), Packet Number (8..32), Packet Payload (8..),
    /// }
    /// </code>
    /// </remarks>
    private static bool TryReadInitialHeader(ReadOnlySpan<byte> datagram, out int packetNumberOffset, out int packetEnd, out int tokenOffset, out int tokenLength)
    {
        packetNumberOffset = packetEnd = tokenOffset = tokenLength = 0;
        if ((datagram[0] & 0x40) == 0)
        {
            // The fixed bit: a client cannot know yet whether this server lets it be greased (RFC 9287).
            return false;
        }

        var position = 7 + datagram[5] + datagram[6 + datagram[5]];
        if (!QuicVarint.TryRead(datagram[position..], out var token, out var consumed) || token > (ulong)(datagram.Length - position - consumed))
        {
            return false;
        }

        tokenOffset = position + consumed;
        tokenLength = (int)token;
        position = tokenOffset + tokenLength;
        if (!QuicVarint.TryRead(datagram[position..], out var length, out consumed) || length > (ulong)(datagram.Length - position - consumed))
        {
            return false;
        }

        packetNumberOffset = position + consumed;
        packetEnd = packetNumberOffset + (int)length;
        return true;
    }
}
