using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Server.Http3;

/// <summary>
/// HTTP/3 for the embedded server: a UDP listener on the HTTPS port that runs hxi's own QUIC and
/// HTTP/3 cores (server role); each request runs through the app's request pipeline in-process (FrontendConnection).
/// </summary>
/// <remarks>
/// One thread owns every connection: it receives, dispatches by connection ID, runs timers and
/// sends. Work done elsewhere (the request pipeline) comes back through <see cref="Post"/>.
/// </remarks>
internal sealed class Http3Frontend : IAsyncDisposable
{
    /// <summary>The length of every connection ID the server issues, which is how a short header's is cut out.</summary>
    internal const int ConnectionIdLength = 8;

    private readonly Socket _socket;
    private readonly Socket _wake = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _wakeSender = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly X509Certificate2 _certificate;
    private readonly Http3Application _application;
    private readonly Action<string>? _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, FrontendConnection> _byConnectionId = [];
    private readonly List<FrontendConnection> _connections = [];
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly Thread _thread;
    private volatile bool _stopping;

    public Http3Frontend(IPEndPoint endPoint, X509Certificate2 certificate, Http3Application application, Action<string>? log)
    {
        _certificate = certificate;
        _application = application;
        _log = log;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(endPoint);
        _wake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _wakeSender.Connect(_wake.LocalEndPoint!);
        _thread = new Thread(Run) { IsBackground = true, Name = "hxi h3 server" };
        _thread.Start();
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    internal void Log(string line) => _log?.Invoke(line);

    /// <summary>Runs <paramref name="action"/> on the listener thread, which owns every connection.</summary>
    internal void Post(Action action)
    {
        _posted.Enqueue(action);
        try
        {
            _wakeSender.Send([1]);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Shutting down: the action is moot.
        }
    }

    internal TimeSpan Now => _clock.Elapsed;

    private void Run()
    {
        var buffer = new byte[65_536];
        var send = new byte[65_536];
        var wakeBuffer = new byte[64];
        var readable = new List<Socket>(2);
        EndPoint from = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stopping)
        {
            try
            {
                readable.Clear();
                readable.Add(_socket);
                readable.Add(_wake);
                Socket.Select(readable, null, null, WaitMicroseconds());
                if (readable.Contains(_wake))
                {
                    _wake.Receive(wakeBuffer);
                }

                while (_posted.TryDequeue(out var action))
                {
                    action();
                }

                while (_socket.Available > 0)
                {
                    var length = _socket.ReceiveFrom(buffer, ref from);
                    Dispatch(buffer.AsSpan(0, length), (IPEndPoint)from);
                }

                foreach (var connection in _connections)
                {
                    if (connection.Quic.NextTimeout is { } due && due <= Now)
                    {
                        connection.Quic.HandleTimeout(Now);
                        connection.Pump();
                    }

                    Flush(connection, send);
                }

                _connections.RemoveAll(Forget);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
            {
                // An ICMP error for an earlier datagram; that peer's timers handle it.
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        if (!TryReadDestination(datagram, out var destination))
        {
            return;
        }

        if (!_byConnectionId.TryGetValue(destination, out var connection))
        {
            // Only a long-header Initial may open a connection; anything else for an unknown ID is dropped.
            if ((datagram[0] & 0xb0) != 0x80 || datagram.Length < 1200)
            {
                return;
            }

            connection = new FrontendConnection(this, from, new QuicConnection(new QuicConnectionOptions
            {
                Role = QuicRole.Server,
                Certificate = _certificate,
                ApplicationProtocols = ["h3"],
                MaxDatagramSize = 1350,
                ConnectionIdLength = ConnectionIdLength,
            }), _application);
            _connections.Add(connection);
            // The client's chosen ID routes its Initials; ours (sequence 0) everything after. Later ones come as events.
            _byConnectionId[destination] = connection;
            Route(connection.Quic.SourceConnectionId.Span, connection);
        }

        connection.Quic.ReceiveDatagram(datagram, Now);
        connection.Pump();
    }

    /// <summary>Packets to <paramref name="connectionId"/> go to <paramref name="connection"/>: one we issued or our handshake ID.</summary>
    internal void Route(ReadOnlySpan<byte> connectionId, FrontendConnection connection) =>
        _byConnectionId.TryAdd(Convert.ToHexString(connectionId), connection);

    /// <summary>The peer retired <paramref name="connectionId"/>: packets to it are strangers now.</summary>
    internal void Unroute(ReadOnlySpan<byte> connectionId, FrontendConnection connection)
    {
        var key = Convert.ToHexString(connectionId);
        if (_byConnectionId.TryGetValue(key, out var owner) && owner == connection)
        {
            _byConnectionId.Remove(key);
        }
    }

    /// <summary>Whether packets to <paramref name="connectionId"/> reach a connection; runs on the listener thread, for tests.</summary>
    internal Task<bool> IsRoutedAsync(byte[] connectionId)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => answer.TrySetResult(_byConnectionId.ContainsKey(Convert.ToHexString(connectionId))));
        return answer.Task;
    }

    private void Flush(FrontendConnection connection, byte[] buffer)
    {
        int length;
        while ((length = connection.Quic.WriteDatagram(buffer, Now)) > 0)
        {
            _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, connection.Remote);
        }
    }

    private bool Forget(FrontendConnection connection)
    {
        if (!connection.Quic.IsTerminated)
        {
            return false;
        }

        foreach (var key in _byConnectionId.Where(entry => entry.Value == connection).Select(entry => entry.Key).ToList())
        {
            _byConnectionId.Remove(key);
        }

        return true;
    }

    // Long headers carry the DCID with its length; short headers carry one of ours, all ConnectionIdLength bytes.
    private static bool TryReadDestination(ReadOnlySpan<byte> datagram, out string destination)
    {
        destination = "";
        if (datagram.Length < 1 + ConnectionIdLength)
        {
            return false;
        }

        if ((datagram[0] & 0x80) == 0)
        {
            destination = Convert.ToHexString(datagram.Slice(1, ConnectionIdLength));
            return true;
        }

        var length = datagram[5];
        if (length > 20 || datagram.Length < 6 + length)
        {
            return false;
        }

        destination = Convert.ToHexString(datagram.Slice(6, length));
        return true;
    }

    private int WaitMicroseconds()
    {
        TimeSpan? next = null;
        foreach (var connection in _connections)
        {
            if (connection.Quic.NextTimeout is { } due && (next is null || due < next))
            {
                next = due;
            }
        }

        if (next is null)
        {
            return 1_000_000;
        }

        var wait = next.Value - Now;
        return wait <= TimeSpan.Zero ? 0 : (int)Math.Min(wait.TotalMicroseconds + 1, 1_000_000);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        Post(() => { });
        await Task.Run(() => _thread.Join(TimeSpan.FromSeconds(5)));
        _socket.Dispose();
        _wake.Dispose();
        _wakeSender.Dispose();
    }
}
