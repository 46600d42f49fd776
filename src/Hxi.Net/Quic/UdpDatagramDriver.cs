using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hxi.Net.Client;
using Hxi.Protocols.Quic.Ecn;

namespace Hxi.Net.Quic;

/// <summary>
/// The one UDP driver, for a client's connected socket and a server's bound one: one dedicated thread receives, hands
/// in, sends what the endpoint has to say, and sleeps until the next datagram or timeout. Time comes from a
/// <see cref="TimeProvider"/>; batching (recvmmsg, GRO, GSO) lives in <see cref="UdpSocketIo"/>.
/// </summary>
/// <remarks>
/// Other threads change the endpoint only through <see cref="Post"/>: the action runs on the driver thread, which a
/// loopback "wake" socket interrupts, so the endpoint is never touched concurrently.
/// </remarks>
public sealed partial class UdpDatagramDriver : IAsyncDisposable
{
    private const int MaxDatagramSize = 65_527;

    /// <summary>Datagrams read in one pass before ACKs and timers get their turn.</summary>
    private const int MaxReceiveBurst = 256;

    /// <summary>The most a GSO send carries: the kernel's 64 KB limit on one UDP send, less the headers.</summary>
    private const int MaxBatchBytes = 65_000;

    /// <summary>The socket receive buffer asked for: 7 MB, as quic-go asks; the kernel may grant less.</summary>
    private const int ReceiveBufferBytes = 7 << 20;

    private const int SolSocket = 1;
    private const int SoReceiveBufferForce = 33;

    private const int SendBufferWaitMicroseconds = 100_000;

    private readonly ReceiveCoalescer? _coalescer;

    /// <summary>Bytes received in the current round (both sockets), for the coalescer.</summary>
    private long _roundBytes;

    // Replaced when a client moves to a new local port or address (UdpDatagramDriver.Rebind.cs), on the driver thread.
    private Socket _socket;
    private UdpSocketIo _io;
    private UdpEcnMarking _ecn;
    private IPEndPoint? _connectedTo;
    private readonly Socket _wake;
    private readonly Socket _wakeSender;
    private readonly IAddressedDatagramEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly long _epoch;
    private readonly DatagramSink _sink;
    private readonly DatagramSink _secondSink;
    private readonly Thread _thread;
    private readonly System.Collections.Concurrent.ConcurrentQueue<PostedWork> _posted = new();
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    /// <summary>Set once the driver thread has ended; work posted after that is abandoned with it.</summary>
    private volatile Exception? _ended;

    /// <summary>A client's driver: a socket connected to <paramref name="remote"/>, times measured on <paramref name="clock"/>.</summary>
    public UdpDatagramDriver(IDatagramEndpoint endpoint, IPEndPoint remote, Stopwatch clock)
        : this(new ConnectedEndpoint(endpoint), OpenSocket(remote.AddressFamily, null, remote), remote, TimeProvider.System, Stopwatch.GetTimestamp() - clock.ElapsedTicks, "hxi udp driver")
    {
        // A client's download only: a server's driver carries many connections, mostly ACKs.
        _coalescer = _io is LinuxUdpSocketIo ? new ReceiveCoalescer() : null;
    }

    private UdpDatagramDriver(IAddressedDatagramEndpoint endpoint, Socket socket, IPEndPoint? connectedTo, TimeProvider time, long epoch, string threadName)
    {
        _endpoint = endpoint;
        _time = time;
        _epoch = epoch;
        _socket = socket;
        _connectedTo = connectedTo;
        _io = Prepare(_socket, connectedTo);
        _ecn = new UdpEcnMarking(_socket);
        _sink = Deliver;
        _secondSink = DeliverFromSecond;
        _wake = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _wakeSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wakeSender.Connect(_wake.LocalEndPoint!);
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
    }

    /// <summary>
    /// A server's driver: a socket bound to <paramref name="local"/> that takes datagrams from anyone; times are
    /// <paramref name="time"/>'s elapsed time since <paramref name="epoch"/> (a <see cref="TimeProvider.GetTimestamp"/>).
    /// </summary>
    public static UdpDatagramDriver Bind(IAddressedDatagramEndpoint endpoint, IPEndPoint local, TimeProvider time, long epoch, string threadName = "hxi udp server")
    {
        // A failed bind (a port in use, most often) goes on to the caller.
        var socket = OpenSocket(local.AddressFamily, local, null);
        UdpDatagramDriver? driver = null;
        try
        {
            driver = new UdpDatagramDriver(endpoint, socket, null, time, epoch, threadName);
            return driver;
        }
        finally
        {
            if (driver is null)
            {
                socket.Dispose();
            }
        }
    }

    public EndPoint LocalEndPoint => _socket.LocalEndPoint!;

    /// <summary>The receive buffer the kernel granted, in bytes (Linux reports twice the payload it will hold).</summary>
    public int ReceiveBufferSize => _socket.ReceiveBufferSize;

    /// <summary>Whether sends are segmented by the kernel (GSO) and receives coalesced (GRO): for benchmarks and tests.</summary>
    public (bool Gso, bool Gro) Offloads => (_io.MaxSegments > 1, _io.ReceivesCoalesced);

    /// <summary>Whether datagrams go out with the ECN codepoint the endpoint asks for, and come in with theirs (RFC 9000 Section 13.4).</summary>
    public (bool Marks, bool Reads) Ecn => (_ecn.CanMark, _io.ReadsEcn);

    /// <summary>
    /// Called on the driver thread when the peer's host answers with ICMP port unreachable (nothing listens
    /// on that UDP port). The driver goes on: whether that ends a connection is the owner's call.
    /// </summary>
    public Action? PeerUnreachable { get; init; }

    public long DatagramsSent { get; private set; }

    public long DatagramsReceived { get; private set; }

    /// <summary>System calls that sent datagrams: fewer than <see cref="DatagramsSent"/> when GSO batches them.</summary>
    public long SendCalls { get; private set; }

    /// <summary>Completes when the endpoint terminates or the socket fails.</summary>
    public Task Terminated => _terminated.Task;

    /// <summary>The driver's clock: what the endpoint is told the time is.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_epoch);

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

    private void Run()
    {
        var send = new byte[MaxDatagramSize + MaxBatchBytes];
        var wakeBuffer = new byte[64];
        var readable = new List<Socket>(3);
        try
        {
            Flush(send);
            while (!_stopping && !_endpoint.IsTerminated)
            {
                CloseRetired();
                var second = _second;
                readable.Clear();
                readable.Add(_socket);
                readable.Add(_wake);
                if (second is not null)
                {
                    readable.Add(second.Socket);
                }

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
                // can't hold back our ACKs and timers. Reading until the socket is empty also collects a pending ICMP
                // error, which select reports as readable.
                var receivedBefore = DatagramsReceived;
                if (readable.Contains(_socket))
                {
                    ReceiveBurst();
                }

                if (second is not null && readable.Contains(second.Socket) && (_second == second || _io == second.Io))
                {
                    ReceiveSecondBurst(second);
                }

                var received = DatagramsReceived - receivedBefore;
                var receivedBytes = _roundBytes;
                _roundBytes = 0;
                if (_endpoint.NextTimeout is { } due && due <= Now)
                {
                    _endpoint.HandleTimeout(Now);
                }

                Flush(send);

                // After this round's ACKs are out: a pause delays only what has not arrived yet.
                if (_coalescer?.AfterRound(received, receivedBytes, Now, _endpoint.NextTimeout) is { } pause && pause > TimeSpan.Zero)
                {
                    LinuxUdpSocketIo.Pause(pause);
                }
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

    private void ReceiveBurst()
    {
        var before = DatagramsReceived;
        while (DatagramsReceived - before < MaxReceiveBurst)
        {
            switch (_io.Receive(_sink))
            {
                case UdpReceiveResult.Empty:
                    return;
                case UdpReceiveResult.Refused:
                    // ICMP port unreachable answering an earlier send.
                    PeerUnreachable?.Invoke();
                    break;
            }
        }
    }

    private void Deliver(ReadOnlySpan<byte> datagram, IPEndPoint from, EcnCodepoint ecn)
    {
        DatagramsReceived++;
        _roundBytes += datagram.Length;
        _endpoint.ReceiveDatagram(datagram, from, Now, ecn);
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

    /// <summary>
    /// Sends everything the endpoint has now. Consecutive datagrams to one destination go out together when GSO is
    /// there: equal-size ones, the last possibly shorter, in one system call. The endpoint always gets a whole
    /// datagram's room (written after the batch so far), so how batches form never changes what it sends.
    /// </summary>
    private void Flush(byte[] buffer)
    {
        var batchLength = 0;
        var segment = 0;
        var count = 0;
        IPEndPoint? batchTo = null;
        var batchEcn = EcnCodepoint.NotEct;
        var batchSecond = false;
        while (true)
        {
            var length = _endpoint.WriteDatagram(buffer.AsSpan(batchLength, MaxDatagramSize), Now, out var to, out var fromSecond, out var ecn);
            if (length <= 0)
            {
                break;
            }

            // A batch shares one socket and one IP header template, so one ECN codepoint too.
            var maxSegments = (fromSecond ? _second?.Io ?? _io : _io).MaxSegments;
            if (count > 0 && (length > segment || !SameDestination(to, batchTo) || fromSecond != batchSecond || ecn != batchEcn || count >= maxSegments || batchLength + length > MaxBatchBytes))
            {
                // It cannot join the batch: send the batch, and start the next one with this datagram.
                SendBatch(buffer, batchLength, segment, batchTo, batchEcn, batchSecond);
                Buffer.BlockCopy(buffer, batchLength, buffer, 0, length);
                batchLength = count = 0;
            }

            if (count == 0)
            {
                segment = length;
                batchTo = to;
                batchEcn = ecn;
                batchSecond = fromSecond;
            }

            batchLength += length;
            count++;
            if (length < segment || maxSegments == 1)
            {
                // A shorter datagram ends a GSO batch; without GSO every datagram goes alone.
                SendBatch(buffer, batchLength, segment, batchTo, batchEcn, batchSecond);
                batchLength = count = 0;
            }
        }

        if (count > 0)
        {
            SendBatch(buffer, batchLength, segment, batchTo, batchEcn, batchSecond);
        }
    }

    private static bool SameDestination(IPEndPoint? a, IPEndPoint? b) => ReferenceEquals(a, b) || (a is not null && a.Equals(b));

    /// <summary>Sends one datagram or one GSO batch; a full send buffer is waited out briefly, as a blocking socket would.</summary>
    private void SendBatch(byte[] buffer, int length, int segment, IPEndPoint? to, EcnCodepoint ecn, bool fromSecond)
    {
        var datagrams = (length + segment - 1) / segment;
        // The second socket is gone when a client's probe path closed under the endpoint's feet: that datagram is lost.
        var (socket, io, marking) = !fromSecond ? (_socket, _io, _ecn) : _second is { } second ? (second.Socket, second.Io, second.Ecn) : (null, null, null);
        if (socket is null || io is null || marking is null)
        {
            return;
        }

        marking.Apply(ecn);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            switch (io.Send(buffer.AsSpan(0, length), segment, to))
            {
                case UdpSendResult.Sent:
                    DatagramsSent += datagrams;
                    SecondSocketDatagramsSent += fromSecond ? datagrams : 0;
                    SendCalls++;
                    return;
                case UdpSendResult.WouldBlock:
                    socket.Poll(SendBufferWaitMicroseconds, SelectMode.SelectWrite);
                    continue;
                case UdpSendResult.Refused:
                    // The ICMP error of an earlier datagram, reported on this send; this one is lost, as UDP may lose it.
                    PeerUnreachable?.Invoke();
                    return;
                case UdpSendResult.Dropped:
                    return;
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

        Close(_socket, _io);
        ForgetPreviousPath();
        CloseSecondSocket();
        CloseRetired();
        _wake.Dispose();
        _wakeSender.Dispose();
    }
}
