using System.Net;
using System.Security.Cryptography.X509Certificates;
using Hxi.Net.Quic;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Endpoint;
using Hxi.Protocols.Trace;

namespace Hxi.Server.Http3;

/// <summary>
/// HTTP/3 for the embedded server: a UDP socket on the HTTPS port, driven by the shared <see cref="UdpDatagramDriver"/>,
/// feeding hxi's QUIC server endpoint (routing, Version Negotiation, Retry, resets, limits) whose connections carry
/// HTTP/3 sessions; each request runs through the app's request pipeline in-process (FrontendConnection).
/// </summary>
/// <remarks>
/// The driver's thread owns the endpoint and every connection. Work done elsewhere (the request pipeline) comes back
/// through <see cref="Post"/>. No QUIC header is read here: the endpoint does that.
/// </remarks>
internal sealed class Http3Frontend : IAsyncDisposable, IAddressedDatagramEndpoint
{
    /// <summary>The length of every connection ID the server issues.</summary>
    internal const int ConnectionIdLength = 8;

    private readonly QuicEndpoint _endpoint;
    private readonly UdpDatagramDriver _driver;
    private readonly Http3Application _application;
    private readonly Action<string>? _log;
    private readonly Dictionary<FrontendConnection, QuicEndpointConnection> _connections = [];

    // The tap made for a client as the endpoint accepts its connection, handed on to that connection's HTTP/3 layer.
    private readonly Dictionary<IPEndPoint, IWireTap?> _acceptedTaps = [];

    public Http3Frontend(IPEndPoint endPoint, X509Certificate2 certificate, Http3Application application, Action<string>? log, bool alwaysRetry = false,
        Func<QuicConnectionOptions, QuicConnectionOptions>? adjustQuic = null, IPEndPoint? preferredAddress = null)
    {
        _application = application;
        _log = log;

        // Bound first, started last: whether connections mark ECT(0) depends on what the socket can do. With a preferred
        // address, its socket is bound too, and what is offered is the address as bound (a port 0 resolved).
        _driver = preferredAddress is null
            ? UdpDatagramDriver.Bind(this, endPoint, TimeProvider.System, TimeProvider.System.GetTimestamp(), "hxi h3 server")
            : UdpDatagramDriver.Bind(this, endPoint, preferredAddress, TimeProvider.System, TimeProvider.System.GetTimestamp(), "hxi h3 server");
        PreferredAddress = (IPEndPoint?)_driver.SecondLocalEndPoint;
        var quic = new QuicConnectionOptions
        {
            Role = QuicRole.Server,
            Certificate = certificate,
            ApplicationProtocols = ["h3"],
            MaxDatagramSize = 1350,
            ConnectionIdLength = ConnectionIdLength,

            // Tickets for resumption and 0-RTT (accepted once per ticket), sealed under a key that dies with the process.
            SessionTickets = new Hxi.Protocols.Tls.TlsServerTickets(),
            EcnMarking = _driver.Ecn.Marks,
            PreferredAddress = PreferredAddress,
        };
        var created = false;
        try
        {
            _endpoint = new QuicEndpoint(new QuicEndpointOptions
            {
                Connection = adjustQuic?.Invoke(quic) ?? quic,
                AlwaysRetry = alwaysRetry,
                ConnectionTap = remote => _acceptedTaps[remote] = ConnectionTap?.Invoke(remote),
            });
            created = true;
        }
        finally
        {
            if (!created)
            {
                // Bad options (a local mistake, not peer input): the thread has not started, so this only closes the socket.
                _driver.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        _driver.Start();
        // The driver thread ends only on a socket failure or a bug: say so rather than go quiet.
        _driver.Terminated.ContinueWith(
            ended => Log($"HTTP/3 stopped: {ended.Exception?.InnerException?.Message ?? "the UDP driver ended"}"),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_driver.LocalEndPoint;

    /// <summary>The preferred address offered to clients (RFC 9000 Section 9.6), as bound; null when none.</summary>
    public IPEndPoint? PreferredAddress { get; }

    /// <summary>Datagrams that reached the preferred address's socket (read on any thread: a counter for tests and the log).</summary>
    internal long PreferredAddressDatagrams => _driver.SecondSocketDatagramsReceived;

    /// <summary>Datagrams sent from the preferred address's socket.</summary>
    internal long PreferredAddressDatagramsSent => _driver.SecondSocketDatagramsSent;

    /// <summary>A tap per new connection (given the client's address), for the server-side wire view; null for none.</summary>
    internal Func<IPEndPoint, IWireTap?>? ConnectionTap { get; init; }

    internal TimeSpan Now => _driver.Now;

    /// <summary>
    /// Where every connection reads its QUIC stream bytes before the HTTP/3 core copies them: one for all, since only the
    /// driver thread reads (a buffer per connection was 64 KB of every client's cost).
    /// </summary>
    internal byte[] ReadBuffer { get; } = new byte[65_536];

    internal void Log(string line) => _log?.Invoke(line);

    /// <summary>Runs <paramref name="action"/> on the driver thread, which owns every connection.</summary>
    internal void Post(Action action) => _driver.Post(action);

    /// <summary><paramref name="connection"/> has something new to send (work posted from elsewhere): the endpoint looks now.</summary>
    internal void Wake(FrontendConnection connection)
    {
        if (_connections.TryGetValue(connection, out var held))
        {
            _endpoint.Wake(held, Now);
        }
    }

    /// <summary>Whether packets to <paramref name="connectionId"/> reach a connection; runs on the driver thread, for tests.</summary>
    internal Task<bool> IsRoutedAsync(byte[] connectionId) => _driver.InvokeAsync(() => _endpoint.Routes(connectionId));

    /// <summary>What the endpoint did with datagrams and how much it holds; read on the driver thread.</summary>
    internal Task<(QuicEndpointStatistics Statistics, int Connections, int Handshakes, int RoutedIds, int TimerEntries)> SnapshotAsync() =>
        _driver.InvokeAsync(() => (_endpoint.Statistics, _endpoint.ConnectionCount, _endpoint.HandshakesInProgress, _endpoint.RoutedConnectionIds, _endpoint.TimerEntries));

    void IAddressedDatagramEndpoint.ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, TimeSpan now) =>
        ((IAddressedDatagramEndpoint)this).ReceiveDatagram(datagram, from, now, EcnCodepoint.NotEct);

    void IAddressedDatagramEndpoint.ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, TimeSpan now, EcnCodepoint ecn) =>
        ((IAddressedDatagramEndpoint)this).ReceiveDatagram(datagram, from, atSecondSocket: false, now, ecn);

    void IAddressedDatagramEndpoint.ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, bool atSecondSocket, TimeSpan now, EcnCodepoint ecn)
    {
        var connection = _endpoint.ReceiveDatagram(datagram, from, atPreferredAddress: atSecondSocket, now, ecn);
        TakeEvents();
        if (connection is { IsActive: true, State: FrontendConnection frontend })
        {
            frontend.Pump();
        }
    }

    int IAddressedDatagramEndpoint.WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to) =>
        ((IAddressedDatagramEndpoint)this).WriteDatagram(destination, now, out to, out _);

    int IAddressedDatagramEndpoint.WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to, out EcnCodepoint ecn) =>
        ((IAddressedDatagramEndpoint)this).WriteDatagram(destination, now, out to, out _, out ecn);

    int IAddressedDatagramEndpoint.WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to, out bool fromSecondSocket, out EcnCodepoint ecn)
    {
        var length = _endpoint.WriteDatagram(destination, now, out to, out fromSecondSocket, out ecn);
        TakeEvents();
        return length;
    }

    TimeSpan? IAddressedDatagramEndpoint.NextTimeout => _endpoint.NextTimeout;

    void IAddressedDatagramEndpoint.HandleTimeout(TimeSpan now)
    {
        _endpoint.HandleTimeout(now);
        TakeEvents();
    }

    bool IAddressedDatagramEndpoint.IsTerminated => false;

    private void TakeEvents()
    {
        while (_endpoint.TryPollEvent(out var e))
        {
            switch (e)
            {
                case QuicConnectionAccepted accepted:
                    _acceptedTaps.Remove(accepted.Connection.Remote, out var tap);
                    var frontend = new FrontendConnection(this, accepted.Connection.Remote, accepted.Connection.Connection, _application, tap);
                    accepted.Connection.State = frontend;
                    _connections[frontend] = accepted.Connection;
                    break;
                case QuicConnectionRemoved { Connection.State: FrontendConnection gone }:
                    _connections.Remove(gone);
                    break;
                case QuicConnectionMigrated { AtPreferredAddress: true } migrated when PreferredAddress is not null:
                    _log?.Invoke($"h3 client {migrated.From} moved to {migrated.To} at the preferred address {PreferredAddress} (RFC 9000 Section 9.6)");
                    break;
                case QuicConnectionMigrated migrated:
                    _log?.Invoke($"h3 client {migrated.From} moved to {migrated.To}: validating the new path (RFC 9000 Section 9)");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _driver.DisposeAsync();
        _endpoint.Dispose();
    }
}
