using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hxi.Net.Client;
using Hxi.Net.Quic;

namespace Hxi.Net.Tests;

public class UdpDatagramDriverTests
{
    [Fact]
    public async Task Driver_SendsReceivesAndFiresTheTimer_OnItsOwnThread()
    {
        using var echo = new UdpEcho();
        var endpoint = new CountingEndpoint(toSend: 50);
        await using var driver = new UdpDatagramDriver(endpoint, echo.EndPoint, Stopwatch.StartNew());
        driver.Start();
        await endpoint.Done.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(50, endpoint.Received);
        Assert.True(endpoint.TimeoutsHandled >= 1);
        Assert.Equal(50, driver.DatagramsSent);
    }

    [Fact]
    public async Task Relay_DropsWhatItIsToldToDrop()
    {
        using var echo = new UdpEcho();
        await using var relay = new UdpRelay(echo.EndPoint, new LinkConditions { Loss = 0.5 }, LinkConditions.Perfect, seed: 7);
        var endpoint = new CountingEndpoint(toSend: 200, quietMilliseconds: 2000);
        await using var driver = new UdpDatagramDriver(endpoint, relay.EndPoint, Stopwatch.StartNew());
        driver.Start();
        await endpoint.Done.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.InRange(endpoint.Received, 60, 140);
        Assert.Equal(200 - endpoint.Received, relay.Dropped);
    }

    [Fact]
    public async Task Post_RunsOnTheDriverThread()
    {
        using var echo = new UdpEcho();
        var endpoint = new CountingEndpoint(toSend: 0);
        await using var driver = new UdpDatagramDriver(endpoint, echo.EndPoint, Stopwatch.StartNew());
        driver.Start();
        var name = await driver.InvokeAsync(() => Thread.CurrentThread.Name);
        Assert.Equal("hxi udp driver", name);
    }

    [Fact]
    public async Task BurstArrivingBeforeTheDriverReads_IsKeptWhole()
    {
        // 1,500 full-size datagrams land before the driver thread runs: what a fast sender delivers while hxi
        // is busy elsewhere for a few milliseconds. The default 208 KB socket buffer keeps about 90 of them.
        const int burst = 1500;
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = new CountingEndpoint(toSend: 0, quietMilliseconds: 1000);
        await using var driver = new UdpDatagramDriver(endpoint, (IPEndPoint)peer.LocalEndPoint!, Stopwatch.StartNew());

        var datagram = new byte[1400];
        for (var i = 0; i < burst; i++)
        {
            peer.SendTo(datagram, driver.LocalEndPoint);
        }

        driver.Start();
        await endpoint.Done.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(endpoint.Received == burst, $"{endpoint.Received} of {burst} arrived; receive buffer {driver.ReceiveBufferSize} bytes");
    }

    [Fact]
    public async Task EndpointThatThrows_StopsTheDriver_AndLaterInvokesFailInsteadOfHanging()
    {
        using var echo = new UdpEcho();
        var endpoint = new ThrowingEndpoint();
        await using var driver = new UdpDatagramDriver(endpoint, echo.EndPoint, Stopwatch.StartNew());
        driver.Start();

        var ended = await Assert.ThrowsAsync<InvalidOperationException>(() => driver.Terminated.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("a bug in the endpoint", ended.Message);
        // A bug reaches later callers as itself, so the CLI reports a bug in hxi (exit 1), not the server's fault (6).
        var late = await Assert.ThrowsAsync<InvalidOperationException>(() => driver.InvokeAsync(() => 1).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Same(ended, late);
    }

    [Fact]
    public async Task InvokeAfterTheEndpointTerminated_FailsInsteadOfHanging()
    {
        using var echo = new UdpEcho();
        var endpoint = new CountingEndpoint(toSend: 1, quietMilliseconds: 50);
        await using var driver = new UdpDatagramDriver(endpoint, echo.EndPoint, Stopwatch.StartNew());
        driver.Start();
        await driver.Terminated.WaitAsync(TimeSpan.FromSeconds(10));

        var late = await Assert.ThrowsAsync<HxiException>(() => driver.InvokeAsync(() => 1).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("the QUIC connection is closed", late.Message);
    }

    /// <summary>Sends one datagram and throws when its echo arrives: a bug inside the endpoint.</summary>
    private sealed class ThrowingEndpoint : IDatagramEndpoint
    {
        private bool _sent;

        public TimeSpan? NextTimeout => null;

        public bool IsTerminated => false;

        public void ReceiveDatagram(ReadOnlySpan<byte> datagram, TimeSpan now) => throw new InvalidOperationException("a bug in the endpoint");

        public int WriteDatagram(Span<byte> destination, TimeSpan now)
        {
            if (_sent)
            {
                return 0;
            }

            _sent = true;
            destination[0] = 1;
            return 1;
        }

        public void HandleTimeout(TimeSpan now)
        {
        }
    }

    /// <summary>Sends numbered datagrams, counts the echoes, and ends after a quiet period with nothing arriving.</summary>
    private sealed class CountingEndpoint(int toSend, int quietMilliseconds = 300) : IDatagramEndpoint
    {
        private int _sent;
        private TimeSpan? _deadline;

        public int Received { get; private set; }

        public int TimeoutsHandled { get; private set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TimeSpan? NextTimeout => _deadline;

        public bool IsTerminated => Done.Task.IsCompleted;

        public void ReceiveDatagram(ReadOnlySpan<byte> datagram, TimeSpan now)
        {
            Received++;
            // Every echo pushes the end back: on a loaded machine the relay may lag behind.
            _deadline = now + TimeSpan.FromMilliseconds(quietMilliseconds);
        }

        public int WriteDatagram(Span<byte> destination, TimeSpan now)
        {
            if (_sent == toSend)
            {
                _deadline ??= now + TimeSpan.FromMilliseconds(quietMilliseconds);
                return 0;
            }

            BitConverter.TryWriteBytes(destination, _sent++);
            return 4;
        }

        public void HandleTimeout(TimeSpan now)
        {
            TimeoutsHandled++;
            Done.TrySetResult();
        }
    }

    private sealed class UdpEcho : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly Thread _thread;

        public UdpEcho()
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _thread = new Thread(() =>
            {
                var buffer = new byte[2048];
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                try
                {
                    while (true)
                    {
                        var n = _socket.ReceiveFrom(buffer, ref from);
                        _socket.SendTo(buffer.AsSpan(0, n), from);
                    }
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    // Disposed: the test is over.
                }
            })
            { IsBackground = true };
            _thread.Start();
        }

        public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

        public void Dispose() => _socket.Dispose();
    }
}
