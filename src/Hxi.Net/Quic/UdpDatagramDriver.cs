using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hxi.Net.Client;

namespace Hxi.Net.Quic;

/// <summary>
/// Runs a datagram endpoint against a connected UDP socket on one dedicated thread with one timer:
/// receive, hand in, send what it has to say, sleep until the next datagram or timeout.
/// </summary>
/// <remarks>
/// Other threads change the endpoint only through <see cref="Post"/>: the action runs on the driver
/// thread, which a loopback "wake" socket interrupts, so the endpoint is never touched concurrently.
/// Receive uses a preallocated buffer and a connected socket: no allocation per datagram.
/// </remarks>
public sealed class UdpDatagramDriver : IAsyncDisposable
{
    private const int MaxDatagramSize = 65_527;

    /// <summary>Datagrams read in one pass before ACKs and timers get their turn.</summary>
    private const int MaxReceiveBurst = 256;

    /// <summary>The socket receive buffer asked for: 7 MB, as quic-go asks; the kernel may grant less.</summary>
    private const int ReceiveBufferBytes = 7 << 20;

    private const int SolSocket = 1;
    private const int SoReceiveBufferForce = 33;

    private const int SendBufferWaitMicroseconds = 100_000;

    private readonly Socket _socket;
    private readonly Socket _wake;
    private readonly Socket _wakeSender;
    private readonly IDatagramEndpoint _endpoint;
    private readonly Stopwatch _clock;
    private readonly Thread _thread;
    private readonly System.Collections.Concurrent.ConcurrentQueue<PostedWork> _posted = new();
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    /// <summary>Set once the driver thread has ended; work posted after that is abandoned with it.</summary>
    private volatile Exception? _ended;

    public UdpDatagramDriver(IDatagramEndpoint endpoint, IPEndPoint remote, Stopwatch clock)
    {
        _endpoint = endpoint;
        _clock = clock;
        _socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(remote);
        _socket.Blocking = false;
        EnlargeReceiveBuffer(_socket);
        _wake = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _wakeSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wakeSender.Connect(_wake.LocalEndPoint!);
        _thread = new Thread(Run) { IsBackground = true, Name = "hxi udp driver" };
    }

    public EndPoint LocalEndPoint => _socket.LocalEndPoint!;

    /// <summary>The receive buffer the kernel granted, in bytes (Linux reports twice the payload it will hold).</summary>
    public int ReceiveBufferSize => _socket.ReceiveBufferSize;

    /// <summary>
    /// Called on the driver thread when the peer's host answers with ICMP port unreachable (nothing listens
    /// on that UDP port). The driver goes on: whether that ends a connection is the owner's call.
    /// </summary>
    public Action? PeerUnreachable { get; init; }

    public long DatagramsSent { get; private set; }

    public long DatagramsReceived { get; private set; }

    /// <summary>Completes when the endpoint terminates or the socket fails.</summary>
    public Task Terminated => _terminated.Task;

    public void Start() => _thread.Start();

    /// <summary>Runs <paramref name="action"/> on the driver thread, then sends whatever it produced.</summary>
    public void Post(Action action) => Enqueue(new PostedWork(action, null));

    /// <summary>
    /// Runs <paramref name="function"/> on the driver thread and returns its result. Once the driver has
    /// stopped (the connection ended or the thread failed) the task fails instead of waiting for ever.
    /// </summary>
    public Task<T> InvokeAsync<T>(Func<T> function)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new PostedWork(
            () =>
            {
                try
                {
                    result.SetResult(function());
                }
                catch (Exception ex)
                {
                    result.SetException(ex);
                }
            },
            reason => result.TrySetException(reason)));
        return result.Task;
    }

    private void Enqueue(PostedWork work)
    {
        _posted.Enqueue(work);
        if (_ended is { } reason)
        {
            // The thread is gone (or going): nobody else will take this off the queue.
            Abandon(reason);
            return;
        }

        try
        {
            _wakeSender.Send([1]);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Abandon(new HxiException(FailureKind.Protocol, "the QUIC connection is closed", ex));
        }
    }

    private void Abandon(Exception reason)
    {
        while (_posted.TryDequeue(out var work))
        {
            work.Abandon?.Invoke(reason);
        }
    }

    private TimeSpan Now => _clock.Elapsed;

    private void Run()
    {
        var receive = new byte[MaxDatagramSize];
        var send = new byte[MaxDatagramSize];
        var wakeBuffer = new byte[64];
        var readable = new List<Socket>(2);
        try
        {
            Flush(send);
            while (!_stopping && !_endpoint.IsTerminated)
            {
                readable.Clear();
                readable.Add(_socket);
                readable.Add(_wake);
                Socket.Select(readable, null, null, WaitMicroseconds());
                if (readable.Contains(_wake))
                {
                    _wake.Receive(wakeBuffer);
                }

                while (_posted.TryDequeue(out var work))
                {
                    work.Run();
                }

                // Drain what has arrived before sending (one flush answers a burst), up to a bound so a fast sender
                // can't hold back our ACKs and timers. The socket is non-blocking: reading until WouldBlock saves
                // asking for the next datagram's size (an ioctl) before every receive, and also collects a pending
                // ICMP error, which select reports as readable.
                if (readable.Contains(_socket))
                {
                    var received = 0;
                    while (received < MaxReceiveBurst && ReceiveOne(receive))
                    {
                        received++;
                    }
                }

                if (_endpoint.NextTimeout is { } due && due <= Now)
                {
                    _endpoint.HandleTimeout(Now);
                }

                Flush(send);
            }

            Stop(new HxiException(FailureKind.Protocol, "the QUIC connection is closed"));
            _terminated.TrySetResult();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Stop(new HxiException(FailureKind.Protocol, $"the UDP socket failed: {ex.Message}", ex));
            _terminated.TrySetException(ex);
        }
        catch (Exception ex)
        {
            // A bug in the endpoint must not vanish on a background thread, nor leave callers waiting; it reaches
            // them as itself, so the top level reports it as a bug in hxi (exit 1), not as the server's fault.
            Stop(ex);
            _terminated.TrySetException(ex);
        }
    }

    private void Stop(Exception reason)
    {
        _ended = reason;
        Abandon(reason);
    }

    /// <summary>Work for the driver thread, and what to tell its caller if the thread ends first.</summary>
    private readonly record struct PostedWork(Action Run, Action<Exception>? Abandon);

    /// <summary>
    /// The default receive buffer (208 KB on Linux) holds about 90 full datagrams: a few hundred microseconds of
    /// a fast sender on loopback, and every overflow is a loss the peer must detect, resend and slow down for
    /// (a 100 MB download from Caddy lost 70 to 350 datagrams that way). Linux caps SO_RCVBUF at
    /// net.core.rmem_max; SO_RCVBUFFORCE goes past it when the process may (CAP_NET_ADMIN), as quic-go does.
    /// </summary>
    private static void EnlargeReceiveBuffer(Socket socket)
    {
        socket.ReceiveBufferSize = ReceiveBufferBytes;
        if (OperatingSystem.IsLinux() && socket.ReceiveBufferSize < ReceiveBufferBytes)
        {
            try
            {
                socket.SetRawSocketOption(SolSocket, SoReceiveBufferForce, BitConverter.GetBytes(ReceiveBufferBytes));
            }
            catch (SocketException)
            {
                // Not permitted: keep what SO_RCVBUF granted.
            }
        }
    }

    /// <summary>Receives one datagram if one is waiting; false when none is (WouldBlock).</summary>
    private bool ReceiveOne(byte[] buffer)
    {
        var length = _socket.Receive(buffer, SocketFlags.None, out var error);
        switch (error)
        {
            case SocketError.Success:
                DatagramsReceived++;
                _endpoint.ReceiveDatagram(buffer.AsSpan(0, length), Now);
                return true;
            case SocketError.ConnectionRefused:
                // ICMP port unreachable answering an earlier send.
                PeerUnreachable?.Invoke();
                return true;
            case SocketError.WouldBlock:
                return false;
            case SocketError.Interrupted or SocketError.MessageSize:
                return true;
            default:
                throw new SocketException((int)error);
        }
    }

    private void Flush(byte[] buffer)
    {
        int length;
        while ((length = _endpoint.WriteDatagram(buffer, Now)) > 0)
        {
            Send(buffer.AsSpan(0, length));
        }
    }

    /// <summary>Sends one datagram; a full send buffer is waited out briefly, as a blocking socket would.</summary>
    private void Send(ReadOnlySpan<byte> datagram)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            _socket.Send(datagram, SocketFlags.None, out var error);
            switch (error)
            {
                case SocketError.Success:
                    DatagramsSent++;
                    return;
                case SocketError.WouldBlock:
                    _socket.Poll(SendBufferWaitMicroseconds, SelectMode.SelectWrite);
                    continue;
                case SocketError.ConnectionRefused:
                    // The ICMP error of an earlier datagram, reported on this send; this one is lost, as UDP may lose it.
                    PeerUnreachable?.Invoke();
                    return;
                case SocketError.NoBufferSpaceAvailable:
                    // Lost on the way, as UDP may be; recovery resends what mattered.
                    return;
                default:
                    throw new SocketException((int)error);
            }
        }

        // Still full after waiting: count it lost, as UDP may lose it; loss recovery and congestion control take over.
    }

    private int WaitMicroseconds()
    {
        if (_endpoint.NextTimeout is not { } due)
        {
            return 1_000_000;
        }

        var wait = due - Now;
        return wait <= TimeSpan.Zero ? 0 : (int)Math.Min(wait.TotalMicroseconds + 1, 1_000_000);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        try
        {
            _wakeSender.Send([1]);
        }
        catch (SocketException)
        {
            // The thread stops on its own at the next timeout.
        }

        if (_thread.ThreadState != System.Threading.ThreadState.Unstarted)
        {
            await Task.Run(() => _thread.Join(TimeSpan.FromSeconds(5)));
        }

        _socket.Dispose();
        _wake.Dispose();
        _wakeSender.Dispose();
    }
}
