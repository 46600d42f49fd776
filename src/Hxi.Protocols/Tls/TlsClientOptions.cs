using System.Security.Cryptography.X509Certificates;

namespace Hxi.Protocols.Tls;

/// <summary>What a client offers and how it judges the server's certificate.</summary>
public sealed record TlsClientOptions
{
    /// <summary>The host name for SNI and certificate matching; an IP literal is matched but not sent as SNI (RFC 6066).</summary>
    public string? ServerName { get; init; }

    /// <summary>ALPN protocol names in preference order ("h3"); QUIC requires at least one.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    /// <summary>The encoded QUIC transport parameters, carried opaquely in quic_transport_parameters.</summary>
    public byte[] TransportParameters { get; init; } = [];

    public IReadOnlyList<TlsCipherSuite> CipherSuites { get; init; } = TlsCipherSuites.All;

    /// <summary>supported_groups in preference order.</summary>
    public IReadOnlyList<TlsNamedGroup> Groups { get; init; } = [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1];

    /// <summary>Groups that get a key share in the first ClientHello; by default only the first of <see cref="Groups"/>.</summary>
    public IReadOnlyList<TlsNamedGroup>? KeyShareGroups { get; init; }

    /// <summary>Trust exactly these roots (--cacert); null means the system's roots.</summary>
    public X509Certificate2Collection? CustomRoots { get; init; }

    /// <summary>Skip chain and host name checks (-k); the CertificateVerify signature is still checked.</summary>
    public bool Insecure { get; init; }

    /// <summary>The time certificates must be valid at; the core never reads a clock.</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>A ticket from an earlier connection to offer as a PSK (RFC 9846 Section 4.2.11); ignored when expired or for another name.</summary>
    public TlsSessionTicket? Resumption { get; init; }

    /// <summary>Offer 0-RTT (early_data) when <see cref="Resumption"/> allows it.</summary>
    public bool OfferEarlyData { get; init; }

    /// <summary>Makes key pairs; tests inject fixed keys here.</summary>
    public Func<TlsNamedGroup, ITlsKeyExchange> KeyExchangeFactory { get; init; } = TlsKeyExchange.Create;
}
