using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hxi.Flood;

/// <summary>
/// Sends datagrams to the server from many sockets, each on its own source port, at a steady rate, and counts what
/// comes back to them (Version Negotiation, stateless resets, refusals).
/// </summary>
internal sealed class DatagramFlood : IAsyncDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _receivers = [];
    private long _answered;

    public DatagramFlood(IPEndPoint server, int sourcePorts)
    {
        _server = server;
        for (var i = 0; i < sourcePorts; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _sockets.Add(socket);
            _receivers.Add(CountAnswersAsync(socket));
        }
    }

    public long Sent { get; private set; }

    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Sends <paramref name="count"/> datagrams from <paramref name="make"/>, <paramref name="perSecond"/> a second (0: as fast as possible).</summary>
    public async Task SendAsync(int count, int perSecond, Func<Random, byte[]> make, int seed)
    {
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var socket = _sockets[i % _sockets.Count];
            await socket.SendToAsync(make(random), _server);
            Sent++;
            if (perSecond > 0 && i % 100 == 99)
            {
                // Keep to the rate in steps of 100 datagrams; the sockets' buffers take the bursts.
                var due = TimeSpan.FromSeconds((i + 1) / (double)perSecond);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }
        }
    }

    private async Task CountAnswersAsync(Socket socket)
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (true)
            {
                await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                Interlocked.Increment(ref _answered);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
            // Closed, or an ICMP error from a port that went away: nothing more to count on this socket.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_receivers);
        _stop.Dispose();
    }
}
