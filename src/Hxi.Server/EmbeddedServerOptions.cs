using System.Net;

namespace Hxi.Server;

/// <summary>Where the embedded test server listens, where it writes its certificates, and where it logs.</summary>
public sealed record EmbeddedServerOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>HTTP/1.1 and HTTP/2 over TLS, chosen by ALPN; 0 picks a free port.</summary>
    public int HttpsPort { get; init; }

    /// <summary>HTTP/1.1 over cleartext; 0 picks a free port.</summary>
    public int HttpPort { get; init; }

    /// <summary>HTTP/2 over cleartext by prior knowledge (no Upgrade); 0 picks a free port.</summary>
    public int H2cPort { get; init; }

    /// <summary>Where ca.pem, server.pem and server.key are written; null uses a fresh temporary directory.</summary>
    public string? CertificateDirectory { get; init; }

    /// <summary>Also serve HTTP/3 (hxi's own QUIC) on the HTTPS port number, over UDP.</summary>
    public bool Http3 { get; init; } = true;

    /// <summary>Receives one line per completed request.</summary>
    public Action<string>? Log { get; init; }
}
