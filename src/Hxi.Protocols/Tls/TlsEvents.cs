namespace Hxi.Protocols.Tls;

/// <summary>Something the handshake tells QUIC; consumed with <c>switch</c>.</summary>
public abstract record TlsEvent;

/// <summary>A traffic secret is ready: QUIC derives "quic key", "quic iv" and "quic hp" from it with the suite's hash.</summary>
public sealed record TlsSecretAvailable(TlsEncryptionLevel Level, TlsSecretDirection Direction, TlsCipherSuite CipherSuite, byte[] Secret) : TlsEvent;

/// <summary>This endpoint has sent its Finished and verified the peer's (RFC 9001 Section 4.1.1).</summary>
public sealed record TlsHandshakeCompleted(TlsCipherSuite CipherSuite, TlsNamedGroup Group, string? ApplicationProtocol) : TlsEvent;

/// <summary>The server sent a ticket; hxi shows it and does not resume.</summary>
public sealed record TlsSessionTicketReceived(NewSessionTicket Ticket) : TlsEvent;
