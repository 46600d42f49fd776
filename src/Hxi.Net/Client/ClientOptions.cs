using Hxi.Protocols.Messages;
using Hxi.Protocols.Trace;

namespace Hxi.Net.Client;

/// <summary>How the client connects and what it reports.</summary>
public sealed record ClientOptions
{
    public ProtocolMode Protocol { get; init; } = ProtocolMode.Auto;

    /// <summary>Skip certificate validation (-k); the CLI warns on stderr.</summary>
    public bool Insecure { get; init; }

    /// <summary>PEM file of CA certificates to trust instead of the system roots (--cacert).</summary>
    public string? CaCertificatePath { get; init; }

    public TimeSpan? ConnectTimeout { get; init; }

    public bool EnablePush { get; init; }

    public int MaxHeaderListSize { get; init; } = 256 * 1024;

    /// <summary>HTTP/2 SETTINGS_INITIAL_WINDOW_SIZE we announce (--window-bits); null keeps the core's default.</summary>
    public int? Http2InitialWindowSize { get; init; }

    /// <summary>HTTP/2 connection receive window (--connection-window-bits); null keeps the core's default.</summary>
    public int? Http2ConnectionWindowSize { get; init; }

    /// <summary>HTTP/2 SETTINGS_MAX_FRAME_SIZE we announce (--max-frame-size); null announces <see cref="DefaultHttp2MaxFrameSize"/>.</summary>
    public int? Http2MaxFrameSize { get; init; }

    /// <summary>
    /// 64 KB rather than the RFC's 16 KB, as hxi's windows are larger than the RFC's: a server may then send its
    /// writes whole (Caddy sends 32 KB DATA frames instead of 16 KB ones), and a 100 MB download from Caddy took 10%
    /// less time, with half the frames to parse and hand to the handler (bench/README.md). A frame still has a bound
    /// we chose: what a server may make us buffer per frame is 64 KB. --max-frame-size 16384 restores the default.
    /// </summary>
    public const int DefaultHttp2MaxFrameSize = 64 * 1024;

    /// <summary>HTTP/2 SETTINGS_HEADER_TABLE_SIZE we announce (--header-table-size); null keeps 4,096.</summary>
    public int? Http2HeaderTableSize { get; init; }

    /// <summary>What an HTTP/2 connection announces and enforces, for its preface and for an h2c Upgrade's HTTP2-Settings alike.</summary>
    public Hxi.Protocols.Http2.Http2ConnectionOptions Http2ConnectionOptions()
    {
        var defaults = new Hxi.Protocols.Http2.Http2ConnectionOptions();
        return defaults with
        {
            Role = Hxi.Protocols.Http2.Http2Role.Client,
            EnablePush = EnablePush,
            MaxHeaderListSize = MaxHeaderListSize,
            InitialWindowSize = Http2InitialWindowSize ?? defaults.InitialWindowSize,
            ConnectionWindowSize = Http2ConnectionWindowSize ?? defaults.ConnectionWindowSize,
            MaxFrameSize = Http2MaxFrameSize ?? DefaultHttp2MaxFrameSize,
            HeaderTableSize = Http2HeaderTableSize ?? defaults.HeaderTableSize,
            MalformedMessages = MalformedMessages?.Invoke() ?? Hxi.Protocols.Messages.MalformedMessagePolicy.Reject,
        };
    }

    /// <summary>Sees the TLS 1.3 messages of QUIC handshakes (the wire view) and their key-log lines.</summary>
    public Hxi.Protocols.Tls.ITlsObserver? TlsObserver { get; init; }

    /// <summary>The clock QUIC timers run on; shared with the wire view so times line up.</summary>
    public System.Diagnostics.Stopwatch Clock { get; init; } = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>How long to wait for a QUIC handshake before falling back to TCP (--http3 without -only).</summary>
    public TimeSpan Http3FallbackTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>QPACK dynamic table capacity we advertise (--qpack-capacity); 0 turns it off.</summary>
    public int QpackCapacity { get; init; } = 4096;

    /// <summary>How long a response's header block may wait for QPACK inserts before the request fails with QPACK_DECOMPRESSION_FAILED.</summary>
    public TimeSpan QpackBlockedStreamTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Start our own QUIC key update after this many 1-RTT packets (0: only follow the peer's).</summary>
    public long QuicKeyUpdateInterval { get; init; }

    /// <summary>--session: TLS tickets to resume HTTP/3 connections with, and where new ones go; null resumes nothing.</summary>
    public Quic.SessionTicketFile? Sessions { get; init; }

    /// <summary>--0rtt: send the request in 0-RTT packets when the origin's ticket allows it.</summary>
    public bool EarlyData { get; init; }

    /// <summary>The TLS 1.3 cipher suites hxi's QUIC offers, in order (--tls-ciphers).</summary>
    public IReadOnlyList<Hxi.Protocols.Tls.TlsCipherSuite> QuicCipherSuites { get; init; } = Hxi.Protocols.Tls.TlsCipherSuites.All;

    /// <summary>Mark HTTP/3 datagrams ECT(0) and validate the server's ECN counts (RFC 9000 13.4); --no-ecn turns it off.</summary>
    public bool QuicEcn { get; init; } = true;

    /// <summary>QUIC's congestion controller (--cc).</summary>
    public Hxi.Protocols.Quic.Recovery.CongestionControl QuicCongestionControl { get; init; } = Hxi.Protocols.Quic.Recovery.CongestionControl.Cubic;

    /// <summary>--quic-version, --rebind-after and --rebind-address: the QUIC version to start in and the path tests.</summary>
    public Quic.QuicPathOptions QuicPath { get; init; } = Quic.QuicPathOptions.Default;

    /// <summary>--alt-svc: remembered alternatives (h3 first when one is cached) and where new ones are written.</summary>
    public AltSvcCache? AltSvc { get; init; }

    public IWireTap Tap { get; init; } = NullWireTap.Instance;

    /// <summary>
    /// What a connection does with a malformed response, asked before every read so the REPL's <c>strict</c>
    /// setting applies to live connections; null rejects them, as RFC 9113 8.1.1 and RFC 9114 4.1.2 require.
    /// </summary>
    public Func<MalformedMessagePolicy>? MalformedMessages { get; init; }

    /// <summary>Makes a tap of its own for each QUIC connection (qlog writes one file per connection); disposed with the connection.</summary>
    public Func<IWireTap>? QuicConnectionTap { get; init; }

    /// <summary>Called once a transport is up (TCP connected, TLS done), before any request goes out.</summary>
    public Action<ConnectionInfo>? OnConnected { get; init; }

    /// <summary>Called with connection-level notes for -v (fallbacks, reuse).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives pushed responses when push is enabled: (promised stream, request headers) to a handler.</summary>
    public Func<long, IReadOnlyList<Hxi.Protocols.Primitives.HeaderField>, IResponseHandler>? PushHandlerFactory { get; init; }
}
