namespace Hxi.Protocols.Quic.Connection;

/// <summary>
/// What a server connection is told by the <see cref="Endpoint.QuicEndpoint"/> that accepted it: the connection IDs the
/// handshake must authenticate (RFC 9000 Section 7.3), whether a Retry token already proved the client's address
/// (Section 8.1.2), and the host that hands out connection IDs, derives their reset tokens and routes them.
/// </summary>
internal sealed record QuicServerBinding(
    byte[] OriginalDestinationConnectionId,
    byte[]? RetrySourceConnectionId,
    bool AddressValidated,
    IQuicConnectionIdHost Host);

/// <summary>The endpoint's side of a connection's connection IDs: unique across the endpoint, reset tokens from its key.</summary>
internal interface IQuicConnectionIdHost
{
    /// <summary>A fresh connection ID that no other connection of the endpoint uses.</summary>
    byte[] NewConnectionId(int length);

    /// <summary>The stateless reset token of <paramref name="connectionId"/> (RFC 9000 Section 10.3.2).</summary>
    byte[] ResetTokenFor(ReadOnlySpan<byte> connectionId);

    /// <summary>Packets to <paramref name="connectionId"/> are the connection's from now on.</summary>
    void OnConnectionIdIssued(byte[] connectionId);

    /// <summary>The peer retired <paramref name="connectionId"/>: packets to it are strangers now.</summary>
    void OnConnectionIdRetired(byte[] connectionId);
}
