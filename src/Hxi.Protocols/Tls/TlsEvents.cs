namespace Hxi.Protocols.Tls;

/// <summary>Something the handshake tells QUIC; consumed with <c>switch</c>.</summary>
public abstract record TlsEvent;

/// <summary>A traffic secret is ready: QUIC derives "quic key", "quic iv" and "quic hp" from it with the suite's hash.</summary>
public sealed record TlsSecretAvailable(TlsEncryptionLevel Level, TlsSecretDirection Direction, TlsCipherSuite CipherSuite, byte[] Secret) : TlsEvent;

/// <summary>This endpoint has sent its Finished and verified the peer's (RFC 9001 Section 4.1.1).</summary>
/// <param name="Resumed">The handshake used a ticket's PSK (no certificate was sent).</param>
/// <param name="EarlyData">What became of 0-RTT.</param>
public sealed record TlsHandshakeCompleted(TlsCipherSuite CipherSuite, TlsNamedGroup Group, string? ApplicationProtocol, bool Resumed = false, TlsEarlyDataOutcome EarlyData = TlsEarlyDataOutcome.NotOffered) : TlsEvent;

/// <summary>The server sent a ticket; <paramref name="Session"/> is what a client keeps to resume with it.</summary>
public sealed record TlsSessionTicketReceived(NewSessionTicket Ticket, TlsSessionTicket? Session = null) : TlsEvent;

/// <summary>client_early_traffic_secret is ready: the client writes 0-RTT with it, the server that accepted reads it (RFC 9001 Section 4.6).</summary>
public sealed record TlsEarlySecretAvailable(TlsCipherSuite CipherSuite, byte[] Secret) : TlsEvent;

/// <summary>What became of early data: not offered, or offered and accepted or rejected by the server (early_data in EncryptedExtensions).</summary>
public enum TlsEarlyDataOutcome
{
    NotOffered,
    Accepted,
    Rejected,
}
