using System.Net;
using System.Net.Sockets;

namespace Hxi.Net.Tests;

/// <summary>How the relay mistreats datagrams going one way.</summary>
public sealed record LinkConditions
{
    public double Loss { get; init; }

    public double Duplicate { get; init; }

    /// <summary>Probability that a datagram is held back and sent after the next one.</summary>
    public double Reorder { get; init; }

    /// <summary>Probability that one byte is flipped.</summary>
    public double Corrupt { get; init; }

    public TimeSpan Delay { get; init; }

    public static readonly LinkConditions Perfect = new();
}

/// <summary>
/// A UDP relay on loopback between a client and a server, with loss, delay, reordering, duplication
/// and corruption per direction (tc netem is not available here). Seeded, so a failure repeats.
/// </summary>
public sealed class UdpRelay : IAsyncDisposable
{
    private readonly Socket _front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private Socket _back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _forward;
    private Task _backward;
    private readonly Lock _randomGate = new();
    private EndPoint? _client;

    public UdpRelay(IPEndPoint server, LinkConditions toServer, LinkConditions toClient, int seed = 1)
    {
        _server = server;
        _random = new Random(seed);
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        ToServer = toServer;
        ToClient = toClient;
        _forward = Task.Run(() => PumpAsync(_front, toClient: false));
        _backward = Task.Run(() => PumpAsync(_back, toClient: true));
    }

    public IPEndPoint EndPoint => (IPEndPoint)_front.LocalEndPoint!;

    public LinkConditions ToServer { get; set; }

    public LinkConditions ToClient { get; set; }

    public long Forwarded { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>Times the relay moved its server-side socket to a new port (<see cref="RebindServerSide"/>).</summary>
    public int Rebinds { get; private set; }

    /// <summary>
    /// A NAT rebinding (RFC 9000 Section 9.3): from now on the client's datagrams reach the server from a new source port,
    /// and what the server still sends to the old one is lost with the old socket.
    /// </summary>
    public void RebindServerSide()
    {
        var fresh = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        fresh.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var old = _back;
        _back = fresh;
        _backward = Task.Run(() => PumpAsync(fresh, toClient: true));
        old.Dispose();
        Rebinds++;
    }

    /// <summary>The port the server sees the client's datagrams come from.</summary>
    public int ServerSidePort => ((IPEndPoint)_back.LocalEndPoint!).Port;

    private async Task PumpAsync(Socket from, bool toClient)
    {
        var buffer = new byte[65_536];
        byte[]? held = null;
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await from.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped, or this is the server-side socket a rebinding replaced.
                if (_stop.IsCancellationRequested || (toClient && from != _back))
                {
                    return;
                }

                continue;
            }

            if (!toClient)
            {
                _client = received.RemoteEndPoint;
            }

            var conditions = toClient ? ToClient : ToServer;
            var datagram = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            if (Chance(conditions.Loss))
            {
                Dropped++;
                continue;
            }

            if (Chance(conditions.Corrupt))
            {
                lock (_randomGate)
                {
                    datagram[_random.Next(datagram.Length)] ^= (byte)(1 << _random.Next(8));
                }
            }

            var copies = Chance(conditions.Duplicate) ? 2 : 1;
            if (held is null && Chance(conditions.Reorder))
            {
                held = datagram;
                continue;
            }

            for (var i = 0; i < copies; i++)
            {
                await SendAsync(datagram, toClient, conditions.Delay);
            }

            if (held is not null)
            {
                await SendAsync(held, toClient, conditions.Delay);
                held = null;
            }
        }
    }

    private async Task SendAsync(byte[] datagram, bool toClient, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            _ = Task.Delay(delay).ContinueWith(_ => Send(datagram, toClient), TaskScheduler.Default);
            return;
        }

        await Task.CompletedTask;
        Send(datagram, toClient);
    }

    private void Send(byte[] datagram, bool toClient)
    {
        try
        {
            if (toClient)
            {
                if (_client is not null)
                {
                    _front.SendTo(datagram, _client);
                }
            }
            else
            {
                _back.SendTo(datagram, _server);
            }

            Forwarded++;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The relay is as unreliable as the network it imitates.
        }
    }

    private bool Chance(double probability)
    {
        if (probability <= 0)
        {
            return false;
        }

        lock (_randomGate)
        {
            return _random.NextDouble() < probability;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _front.Dispose();
        _back.Dispose();
        await Task.WhenAll(_forward, _backward).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
