using System.Net;

namespace Hxi.Net.Client;

/// <summary>How a connection was made: what -v prints and --timing measures.</summary>
public sealed record ConnectionInfo
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public EndPoint? RemoteEndPoint { get; init; }

    public EndPoint? LocalEndPoint { get; init; }

    /// <summary>"h2", "http/1.1", "h2c".</summary>
    public required string Protocol { get; init; }

    public TlsInfo? Tls { get; init; }

    /// <summary>Why the protocol is not the one first asked for (ALPN chose http/1.1, Upgrade refused).</summary>
    public string? FallbackReason { get; init; }

    public TimeSpan DnsTime { get; init; }

    public TimeSpan ConnectTime { get; init; }

    public TimeSpan TlsTime { get; init; }
}

/// <summary>The negotiated TLS session and the server's certificate.</summary>
public sealed record TlsInfo(
    string Version,
    string CipherSuite,
    IReadOnlyList<string> AlpnOffered,
    string? AlpnChosen,
    string CertificateSubject,
    string CertificateIssuer,
    DateTimeOffset CertificateNotBefore,
    DateTimeOffset CertificateNotAfter,
    IReadOnlyList<string> SubjectAlternativeNames);
