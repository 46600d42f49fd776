using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Hxi.Net.Client;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Tls;
using Hxi.Protocols.Trace;

namespace Hxi.Net.Quic;

/// <summary>
/// A client QUIC connection over a real UDP socket: the sans-IO core driven by a
/// <see cref="UdpDatagramDriver"/>. The core is touched only on the driver's thread.
/// </summary>
public sealed partial class QuicClientConnection : IAsyncDisposable
{
    private readonly QuicConnection _core;
    private readonly UdpDatagramDriver _driver;
    private readonly Stopwatch _clock;
    private readonly TaskCompletionSource<QuicHandshakeCompleted> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<QuicConnectionClosed> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _refused = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private QuicClientConnection(QuicConnection core, IPEndPoint remote, Stopwatch clock)
    {
        _core = core;
        _clock = clock;
        _driver = new UdpDatagramDriver(new Endpoint(this), remote, clock) { PeerUnreachable = OnPeerUnreachable };
        if (!_driver.Ecn.Marks)
        {
            // Before the driver thread starts, so the core is still ours to touch.
            core.DisableEcn("this platform's UDP socket cannot set the ECN bits (IP_TOS)");
        }
    }

    public IPEndPoint RemoteEndPoint { get; private init; } = null!;

    public EndPoint LocalEndPoint => _driver.LocalEndPoint;

    /// <summary>What the handshake negotiated; null until it completes.</summary>
    public QuicHandshakeCompleted? Handshake => _handshake.Task.IsCompletedSuccessfully ? _handshake.Task.Result : null;

    /// <summary>From the first Initial sent to the handshake's completion (what --timing and -v show as connect time).</summary>
    public TimeSpan HandshakeTime { get; private set; }

    /// <summary>How long resolving the host name took (zero for an IP literal).</summary>
    public TimeSpan DnsTime { get; private init; }

    public QuicConnectionStatistics Statistics => _core.Statistics;

    private IWireTap? ConnectionTap { get; init; }

    private bool _holdingEarlyOutput;

    private Uri? Url { get; init; }

    private SessionTicketFile? Sessions { get; init; }

    private Action<string>? Log { get; init; }

    /// <summary>Raised on the driver thread for every event of the core, after hxi's own handling.</summary>
    public event Action<QuicEvent>? EventReceived;

    public Task<QuicConnectionClosed> Closed => _closed.Task;

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Resolves the host, sends the Initial and waits for the handshake to complete.</summary>
    public static async Task<QuicClientConnection> ConnectAsync(
        Uri url,
        IReadOnlyList<string> alpn,
        ClientOptions options,
        ITlsObserver? tlsObserver,
        Stopwatch clock,
        CancellationToken ct,
        Action<QuicClientConnection>? beforeStart = null)
    {
        var host = url.IdnHost.Trim('[', ']');
        var resolving = clock.Elapsed;
        IPAddress address;
        try
        {
            address = IPAddress.TryParse(host, out var literal) ? literal
                : (await Dns.GetHostAddressesAsync(host, ct)).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
        }
        catch (Exception ex) when (ex is SocketException or InvalidOperationException)
        {
            throw new HxiException(FailureKind.Connect, $"could not resolve host '{host}': {ex.Message}", ex);
        }

        // --timing's dns ends here; setting up the connection (its TLS state, the --cacert roots) counts as the
        // handshake's time, which starts now. Measured after that set-up, dns read 30-60 ms for an IP literal.
        var dnsTime = clock.Elapsed - resolving;
        var started = clock.Elapsed;

        var connectionTap = options.QuicConnectionTap?.Invoke();
        var ticket = options.Sessions?.Take(url, DateTimeOffset.UtcNow);
        var core = new QuicConnection(
            new QuicConnectionOptions
            {
                Role = QuicRole.Client,
                ServerName = IPAddress.TryParse(host, out _) ? null : host,
                ApplicationProtocols = alpn,
                Insecure = options.Insecure,
                CustomRoots = options.CaCertificatePath is { } path ? LoadRoots(path) : null,
                CertificateTime = DateTimeOffset.UtcNow,
                TlsObserver = tlsObserver,
                KeyUpdateInterval = options.QuicKeyUpdateInterval,
                SessionTicket = ticket,
                EnableEarlyData = options.EarlyData,
                CipherSuites = options.QuicCipherSuites,
                CongestionControl = options.QuicCongestionControl,
                Version = options.QuicPath.Version,
                EcnMarking = options.QuicEcn,
                UsePreferredAddress = options.QuicPath.UsePreferredAddress,
            },
            connectionTap is null ? options.Tap : new CompositeWireTap(options.Tap, connectionTap));
        var remote = new IPEndPoint(address, url.Port);
        var connection = new QuicClientConnection(core, remote, clock)
        {
            RemoteEndPoint = remote,
            CurrentRemoteEndPoint = remote,
            ConnectionTap = connectionTap,
            DnsTime = dnsTime,
            Url = url,
            Sessions = options.Sessions,
            Log = options.Log,
            PathOptions = options.QuicPath,
        };
        beforeStart?.Invoke(connection);
        // With 0-RTT in view, nothing goes out until the first request is written: the ClientHello then leaves with
        // the request in 0-RTT packets, in one burst, instead of racing the server's answer across threads.
        connection._holdingEarlyOutput = options.EarlyData && ticket is not null;
        var early = connection.InvokeAsync(c =>
        {
            c.Start(clock.Elapsed);
            connection._holdingEarlyOutput &= c.IsSendingEarlyData;
            return c.IsSendingEarlyData;
        });
        connection._driver.Start();
        if (await early)
        {
            // 0-RTT: the request goes out now, before the handshake; a failing handshake fails the request instead.
            options.Log?.Invoke($"sending early data (0-RTT) with the session ticket for {SessionTicketFile.Origin(url)}");
            return connection;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.ConnectTimeout ?? TimeSpan.FromSeconds(10));
        try
        {
            var finished = await Task.WhenAny(connection._handshake.Task, connection._closed.Task, connection._refused.Task).WaitAsync(timeout.Token);
            if (finished == connection._refused.Task)
            {
                await connection.DisposeAsync();
                throw new HxiException(FailureKind.Connect,
                    $"QUIC connection to {remote} refused: nothing listens on UDP port {remote.Port} (ICMP port unreachable)");
            }

            if (finished == connection._closed.Task)
            {
                var closed = await connection._closed.Task;
                await connection.DisposeAsync();
                throw new HxiException(
                    closed.ErrorCode is >= 0x100 and <= 0x1ff && !closed.IsApplicationError ? FailureKind.Tls : FailureKind.Protocol,
                    $"QUIC handshake with {host} failed: {(closed.ByPeer ? "the server closed the connection with " : "")}{closed.Describe()}");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            throw new HxiException(FailureKind.Timeout,
                $"QUIC handshake with {remote} timed out after {(options.ConnectTimeout ?? TimeSpan.FromSeconds(10)).TotalSeconds:0.###} s (no answer over UDP: is HTTP/3 enabled there?)");
        }

        connection.HandshakeTime = clock.Elapsed - started;
        return connection;
    }

    /// <summary>Completes when the driver thread ends: faulted when it ended by failing rather than by a close.</summary>
    public Task Terminated => _driver.Terminated;

    /// <summary>Runs <paramref name="action"/> against the core on the driver thread, then sends what it produced.</summary>
    public Task<T> InvokeAsync<T>(Func<QuicConnection, T> action) => _driver.InvokeAsync(() =>
    {
        var result = action(_core);
        Dispatch();
        return result;
    });

    public void Post(Action<QuicConnection> action) => _driver.Post(() =>
    {
        action(_core);
        Dispatch();
    });

    /// <summary>Closes with an application error code (HTTP/3's H3_NO_ERROR is 0x100) and waits briefly for the close to go out.</summary>
    public async Task CloseAsync(ulong applicationErrorCode, string reason)
    {
        Post(core => core.Close(applicationErrorCode, reason, _clock.Elapsed));
        await Task.WhenAny(_driver.Terminated, Task.Delay(TimeSpan.FromMilliseconds(100)));
    }

    public async ValueTask DisposeAsync()
    {
        await _driver.DisposeAsync();
        // Only now has the core stopped recording on the driver thread.
        (ConnectionTap as IDisposable)?.Dispose();
    }

    private static X509Certificate2Collection LoadRoots(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new HxiException(FailureKind.Usage, $"--cacert {path}: {ex.Message}", ex);
        }

        return roots;
    }

    /// <summary>
    /// A refusal before anything came back means no QUIC server is there: fail now rather than wait out the
    /// handshake timeout, so --http3 falls back at once. Later refusals are left to loss recovery and the idle timer.
    /// </summary>
    private void OnPeerUnreachable()
    {
        if (_driver.DatagramsReceived == 0 && !_core.IsHandshakeComplete)
        {
            _refused.TrySetResult();
        }
    }

    private void Dispatch()
    {
        while (_core.TryPollEvent(out var e))
        {
            switch (e)
            {
                case QuicHandshakeCompleted completed:
                    _handshake.TrySetResult(completed);
                    break;
                case QuicConnectionClosed closed:
                    _closed.TrySetResult(closed);
                    break;
                case QuicSessionTicketReceived ticket when Sessions is not null && Url is not null:
                    Sessions.Put(Url, ticket.Ticket);
                    break;
                case QuicResumptionSettled settled:
                    Log?.Invoke(DescribeResumption(settled));
                    break;
                case QuicPathValidated:
                    _driver.ForgetPreviousPath();
                    break;
                case QuicPathValidationFailed { WentBack: true }:
                    _driver.ReturnToPreviousPath();
                    break;
                case QuicHandshakeConfirmed:
                    ProbePreferredAddress();
                    break;
                case QuicPathProbeValidated { Migrated: true }:
                    OnPreferredAddressReached();
                    break;
                case QuicPathProbeFailed failed:
                    _driver.CloseSecondSocket();
                    Log?.Invoke($"the server's preferred address {_preferredAddress} did not answer ({failed}); staying on {RemoteEndPoint}");
                    _preferredAddress = null;
                    break;
            }

            EventReceived?.Invoke(e);
        }

        if (_core.IsTerminated && _core.CloseReason is { } reason)
        {
            _closed.TrySetResult(reason);
        }
    }

    /// <summary>On the driver thread: the first request is written, so the held ClientHello and 0-RTT may go.</summary>
    internal void ReleaseEarlyOutput() => _holdingEarlyOutput = false;

    /// <summary>-v's line on resumption: "resumed session" or not, and what became of 0-RTT.</summary>
    public static string DescribeResumption(QuicResumptionSettled settled)
    {
        var session = settled.Resumed ? "resumed session" : "session not resumed (full handshake)";
        return settled.EarlyData switch
        {
            TlsEarlyDataOutcome.Accepted => $"{session}; 0-RTT accepted ({settled.ZeroRttPackets} packets)",
            TlsEarlyDataOutcome.Rejected => $"{session}; 0-RTT rejected ({settled.ZeroRttPackets} packets sent again in 1-RTT)",
            _ => session,
        };
    }

    /// <summary>The core as the driver sees it; events are dispatched after every input.</summary>
    private sealed class Endpoint(QuicClientConnection owner) : IDatagramEndpoint
    {
        public TimeSpan? NextTimeout => owner._core.NextTimeout;

        public bool IsTerminated => owner._core.IsTerminated;

        // Events wait until the driver has read its burst of datagrams (it always writes next): the core announces a
        // stream once until polled, so HTTP/3 then reads the burst's bytes in one go, not a packet's worth at a time.
        public void ReceiveDatagram(ReadOnlySpan<byte> datagram, TimeSpan now) => ReceiveDatagram(datagram, now, EcnCodepoint.NotEct);

        public void ReceiveDatagram(ReadOnlySpan<byte> datagram, TimeSpan now, EcnCodepoint ecn)
        {
            owner._core.ReceiveDatagram(datagram, now, ecn);
            owner.RebindWhenDue();
        }

        public int WriteDatagram(Span<byte> destination, TimeSpan now) => WriteDatagram(destination, now, out _);

        public void ReceiveProbeDatagram(ReadOnlySpan<byte> datagram, TimeSpan now, EcnCodepoint ecn) => owner._core.ReceiveProbeDatagram(datagram, now, ecn);

        public int WriteProbeDatagram(Span<byte> destination, TimeSpan now) => owner._core.WriteProbeDatagram(destination, now);

        public int WriteDatagram(Span<byte> destination, TimeSpan now, out EcnCodepoint ecn)
        {
            ecn = EcnCodepoint.NotEct;
            owner.Dispatch();
            if (owner._holdingEarlyOutput)
            {
                return 0;
            }

            var length = owner._core.WriteDatagram(destination, now, out ecn);
            owner.Dispatch();
            return length;
        }

        public void HandleTimeout(TimeSpan now)
        {
            owner._core.HandleTimeout(now);
            owner.Dispatch();
        }
    }
}
