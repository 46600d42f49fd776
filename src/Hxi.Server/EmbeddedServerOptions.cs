using System.Net;

namespace Hxi.Server;

/// <summary>Where the embedded test server listens, where it writes its certificates, and where it logs.</summary>
public sealed record EmbeddedServerOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// Bind both 127.0.0.1 and ::1 on the same ports (as Caddy does for localhost), so a client that tries ::1 first
    /// (Chromium) reaches it too; <see cref="Address"/> is then not used. Where ::1 is missing, 127.0.0.1 alone.
    /// </summary>
    public bool BothLoopbacks { get; init; }

    /// <summary>HTTP/1.1 and HTTP/2 over TLS, chosen by ALPN; 0 picks a free port.</summary>
    public int HttpsPort { get; init; }

    /// <summary>HTTP/1.1 over cleartext; 0 picks a free port.</summary>
    public int HttpPort { get; init; }

    /// <summary>HTTP/2 over cleartext by prior knowledge (no Upgrade); 0 picks a free port.</summary>
    public int H2cPort { get; init; }

    /// <summary>
    /// The folder a user's server keeps its CA in, so it is trusted once: <c>$XDG_DATA_HOME/hxi</c>, else
    /// <c>~/.local/share/hxi</c> (the XDG Base Directory default).
    /// </summary>
    public static string DefaultCertificateDirectory =>
        Path.Combine(
            Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } data && Path.IsPathRooted(data)
                ? data
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"),
            "hxi");

    /// <summary>Where ca.pem, ca.key, server.pem and server.key are written (a CA there is reused); null uses a fresh temporary directory.</summary>
    public string? CertificateDirectory { get; init; }

    /// <summary>Also serve HTTP/3 (hxi's own QUIC) on the HTTPS port number, over UDP.</summary>
    public bool Http3 { get; init; } = true;

    /// <summary>
    /// Send a Retry to every new HTTP/3 client (hxi serve --retry); without it the endpoint still retries on its own
    /// once handshakes in progress pile up.
    /// </summary>
    public bool Http3AlwaysRetry { get; init; }

    /// <summary>
    /// hxi serve --preferred-address: a second UDP socket at this address, offered to every HTTP/3 client in the
    /// preferred_address transport parameter (RFC 9000 Section 9.6); port 0 picks a free one. It serves the listening
    /// address of its family only (the only one, with a single --bind). Null offers none.
    /// </summary>
    public System.Net.IPEndPoint? Http3PreferredAddress { get; init; }

    /// <summary>
    /// Adjusts the QUIC options every HTTP/3 connection starts from (a key update interval, the cipher suites the server
    /// accepts): the interop matrix's server-side keyupdate and chacha20 cases. Null keeps the defaults.
    /// </summary>
    public Func<Hxi.Protocols.Quic.Connection.QuicConnectionOptions, Hxi.Protocols.Quic.Connection.QuicConnectionOptions>? Http3QuicOptions { get; init; }

    /// <summary>
    /// Called for each new HTTP/3 connection with the client's address: a tap that sees everything the server
    /// receives and sends on it (QUIC, TLS, HTTP/3, QPACK), for the server-side wire view and qlog; null for none.
    /// </summary>
    public Func<System.Net.IPEndPoint, Hxi.Protocols.Trace.IWireTap?>? Http3ConnectionTap { get; init; }

    /// <summary>
    /// Give memory back to the system when the server goes quiet after a burst (hxi serve: a server process of its own);
    /// off for a server inside another program, whose GC is that program's business.
    /// </summary>
    public bool TrimMemoryWhenIdle { get; init; }

    /// <summary>Receives one line per completed request.</summary>
    public Action<string>? Log { get; init; }
}
