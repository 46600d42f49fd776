using System.Security.Cryptography.X509Certificates;

namespace Hxi.Protocols.Tls;

/// <summary>What a server accepts and the certificate it proves itself with.</summary>
public sealed record TlsServerOptions
{
    /// <summary>The leaf certificate with its private key (ECDSA P-256/P-384 or RSA).</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Intermediates sent after the leaf.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates { get; init; } = [];

    /// <summary>ALPN names in the server's preference order.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    public byte[] TransportParameters { get; init; } = [];

    /// <summary>
    /// When set, builds the transport parameters from the client's (null if it sent none) instead of
    /// <see cref="TransportParameters"/>: QUIC's compatible version negotiation answers the client's version_information
    /// (RFC 9368 Section 2.3).
    /// </summary>
    public Func<byte[]?, byte[]>? TransportParametersFor { get; init; }

    /// <summary>Cipher suites in the server's preference order.</summary>
    public IReadOnlyList<TlsCipherSuite> CipherSuites { get; init; } = TlsCipherSuites.All;

    /// <summary>Groups in preference order; a client without a share for the first one it supports gets a HelloRetryRequest.</summary>
    public IReadOnlyList<TlsNamedGroup> Groups { get; init; } = [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1];

    /// <summary>Send one NewSessionTicket of random bytes after the handshake, which cannot be redeemed (for views and tests); see <see cref="Tickets"/>.</summary>
    public bool SendSessionTicket { get; init; }

    /// <summary>Issue real tickets after each handshake and accept them for resumption and 0-RTT; null for neither.</summary>
    public TlsServerTickets? Tickets { get; init; }

    /// <summary>The server's own clock (any fixed origin) for ticket ages; the core never reads a clock.</summary>
    public TimeSpan Now { get; init; }

    /// <summary>Sealed into each ticket: what 0-RTT under it may rely on (QUIC: the server's transport parameters).</summary>
    public byte[] EarlyDataContext { get; init; } = [];

    /// <summary>Judges a ticket's <see cref="EarlyDataContext"/> against today's: false rejects 0-RTT (RFC 9000 Section 7.4.1). Null accepts an equal one only.</summary>
    public Func<byte[], bool>? AcceptEarlyDataContext { get; init; }

    public Func<TlsNamedGroup, ITlsKeyExchange> KeyExchangeFactory { get; init; } = TlsKeyExchange.Create;
}
