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

    /// <summary>Send one NewSessionTicket after the handshake (shown by clients; resumption is not implemented).</summary>
    public bool SendSessionTicket { get; init; }

    public Func<TlsNamedGroup, ITlsKeyExchange> KeyExchangeFactory { get; init; } = TlsKeyExchange.Create;
}
