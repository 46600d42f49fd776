using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>How a <see cref="QuicConnection"/> introduces itself and what it allows the peer.</summary>
public sealed partial record QuicConnectionOptions
{
    public QuicRole Role { get; init; } = QuicRole.Client;

    /// <summary>SNI and the name the server certificate must carry (client).</summary>
    public string? ServerName { get; init; }

    public IReadOnlyList<string> ApplicationProtocols { get; init; } = ["h3"];

    /// <summary>Skip certificate validation (-k).</summary>
    public bool Insecure { get; init; }

    /// <summary>Trust exactly these roots (--cacert); null means the system store.</summary>
    public X509Certificate2Collection? CustomRoots { get; init; }

    /// <summary>The server's certificate with its private key (server role).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Wall-clock time for certificate validity checks (the core never reads a clock).</summary>
    public DateTimeOffset CertificateTime { get; init; } = DateTimeOffset.UnixEpoch;

    public IReadOnlyList<TlsCipherSuite> CipherSuites { get; init; } = TlsCipherSuites.All;

    public IReadOnlyList<TlsNamedGroup> Groups { get; init; } = [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1];

    /// <summary>Makes the TLS key shares (fresh key pairs by default); tests and fuzzers inject fixed keys here.</summary>
    public Func<TlsNamedGroup, ITlsKeyExchange> KeyExchangeFactory { get; init; } = TlsKeyExchange.Create;

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public long InitialMaxData { get; init; } = 16 * 1024 * 1024;

    public long InitialMaxStreamData { get; init; } = 4 * 1024 * 1024;

    public long MaxStreamsBidirectional { get; init; } = 100;

    public long MaxStreamsUnidirectional { get; init; } = 100;

    /// <summary>Largest UDP payload we send once the handshake is done; Initial datagrams are 1200 bytes.</summary>
    public int MaxDatagramSize { get; init; } = 1350;

    /// <summary>Our own key update after this many 1-RTT packets sent (0 = only when the peer starts one).</summary>
    public long KeyUpdateInterval { get; init; }

    /// <summary>The congestion controller (RFC 9438 CUBIC or RFC 9002 NewReno); hxi --cc.</summary>
    public Recovery.CongestionControl CongestionControl { get; init; } = Recovery.CongestionControl.Cubic;

    /// <summary>
    /// Mark 1-RTT datagrams ECT(0) and validate the peer's ECN counts (RFC 9000 Section 13.4.2); the driver must then send
    /// each datagram with the codepoint <see cref="QuicConnection.WriteDatagram(Span{byte}, TimeSpan, out Ecn.EcnCodepoint)"/>
    /// gives it. Off by default: only a driver that can set the IP header's ECN bits turns it on (hxi --no-ecn turns it off).
    /// Received codepoints are counted and reported either way.
    /// </summary>
    public bool EcnMarking { get; init; }

    /// <summary>
    /// Length of the connection IDs we choose (RFC 9000 Section 5.1): 0..20 bytes. Zero means the peer addresses
    /// us by our address alone, and we can issue no further IDs (Section 5.1.1).
    /// </summary>
    public int ConnectionIdLength { get; init; } = 8;

    /// <summary>
    /// active_connection_id_limit we advertise: how many of the peer's connection IDs we keep (at least 2,
    /// RFC 9000 Section 18.2). We issue our own up to the peer's value, capped at <see cref="QuicConnection.MaxIssuedConnectionIds"/>.
    /// </summary>
    public int ActiveConnectionIdLimit { get; init; } = 4;

    /// <summary>
    /// Source of connection IDs and the stateless reset token: null (the default) means the system's
    /// cryptographic generator, since RFC 9000 Section 10.3 wants the token hard to guess. Tests pass a
    /// seeded <see cref="System.Random"/> so runs repeat.
    /// </summary>
    public Random? Random { get; init; }

    public ITlsObserver? TlsObserver { get; init; }

    /// <summary>Client: a ticket from an earlier connection to resume with (RFC 9001 Section 4.5); null for a full handshake.</summary>
    public TlsSessionTicket? SessionTicket { get; init; }

    /// <summary>Client: send application data in 0-RTT when <see cref="SessionTicket"/> allows it and remembers the server's limits.</summary>
    public bool EnableEarlyData { get; init; }

    /// <summary>Server: issue tickets and accept them for resumption and 0-RTT; shared by every connection of a server. Null for neither.</summary>
    public TlsServerTickets? SessionTickets { get; init; }

    /// <summary>
    /// Rewrites the transport parameters this endpoint sends, unchecked: a test peer's way to send ones that break
    /// RFC 9000 Section 18.2 (a hostile server). Null, the default, sends them as built.
    /// </summary>
    public Func<QuicTransportParameters, QuicTransportParameters>? RewriteTransportParameters { get; init; }

    /// <summary>
    /// Drops a packet that breaks a transport or TLS rule instead of closing the connection: a test peer's way to be a lax
    /// server (hxi check's tests prove each case fails against one). False, the default, closes as RFC 9000 requires.
    /// </summary>
    public bool IgnoreTransportErrors { get; init; }

    /// <summary>
    /// Server: the address offered in preferred_address (RFC 9000 Section 9.6); only its family's half is filled, the
    /// other is all zeros (Section 18.2). Null offers none, as does a zero-length <see cref="ConnectionIdLength"/>.
    /// </summary>
    public System.Net.IPEndPoint? PreferredAddress { get; init; }

    /// <summary>Client: whether to move to a server's preferred address (RFC 9000 Section 9.6.1); hxi --no-preferred-address turns it off.</summary>
    public bool UsePreferredAddress { get; init; } = true;
}
