using System.Diagnostics;
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

    /// <summary>Probability that a datagram is corrupted: <see cref="CorruptBytes"/> of its bytes get one bit flipped.</summary>
    public double Corrupt { get; init; }

    public int CorruptBytes { get; init; } = 1;

    /// <summary>One-way delay (half the added round trip when both directions carry it).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>
    /// Periods, measured from the relay's first datagram, in which everything this way is dropped (the interop
    /// runner's blackhole case): a path that goes dark and comes back.
    /// </summary>
    public IReadOnlyList<(TimeSpan Start, TimeSpan Length)> Blackholes { get; init; } = [];

    /// <summary>Drops only datagrams the predicate picks (the n-th one, say), deterministic where chance is not enough.</summary>
    public Func<RelayedDatagram, bool>? DropWhen { get; init; }

    public static readonly LinkConditions Perfect = new();

    /// <summary>What quic-interop-runner's loss and corruption cases use: a fixed share each way.</summary>
    public static LinkConditions Lossy(double loss) => new() { Loss = loss };
}

/// <summary>One datagram as the relay saw it, before any mistreatment.</summary>
/// <param name="Index">0 for the first datagram in this direction.</param>
public sealed record RelayedDatagram(bool ToClient, int Index, byte[] Bytes, TimeSpan At);

/// <summary>Counts of one direction.</summary>
public sealed class RelayDirectionCounters
{
    private long _datagrams;
    private long _bytes;
    private long _dropped;
    private long _corrupted;
    private long _duplicated;
    private long _reordered;

    /// <summary>Datagrams that arrived at the relay this way (before loss).</summary>
    public long Datagrams => Interlocked.Read(ref _datagrams);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Corrupted => Interlocked.Read(ref _corrupted);

    public long Duplicated => Interlocked.Read(ref _duplicated);

    public long Reordered => Interlocked.Read(ref _reordered);

    internal void Arrived(int length)
    {
        Interlocked.Increment(ref _datagrams);
        Interlocked.Add(ref _bytes, length);
    }

    internal void Drop() => Interlocked.Increment(ref _dropped);

    internal void Corrupt() => Interlocked.Increment(ref _corrupted);

    internal void Duplicate() => Interlocked.Increment(ref _duplicated);

    internal void Reorder() => Interlocked.Increment(ref _reordered);

    public override string ToString() =>
        $"{Datagrams} datagrams ({Bytes} bytes), {Dropped} dropped, {Corrupted} corrupted, {Duplicated} duplicated, {Reordered} reordered";
}

/// <summary>
/// A UDP relay on loopback between a client and a server, with loss, delay, reordering, duplication, corruption and
/// blackhole periods per direction (tc netem is not available here). Each direction has its own seeded generator, so
/// a failure repeats and the two directions do not steal each other's draws. <see cref="Observe"/> sees every
/// datagram as it arrived, for tests that check what a peer sent (a Retry, the bytes before address validation).
/// </summary>
public sealed class UdpRelay : IAsyncDisposable
{
    private readonly Socket _front;
    private Socket _back;
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _forward;
    private readonly List<Task> _backward = [];
    private readonly Stopwatch _clock = new();
    private readonly Lock _clockGate = new();
    private EndPoint? _client;

    public UdpRelay(IPEndPoint server, LinkConditions toServer, LinkConditions toClient, int seed = 1)
    {
        _server = server;
        _front = Bound(server.AddressFamily);
        _back = Bound(server.AddressFamily);
        ToServer = toServer;
        ToClient = toClient;
        var toServerRandom = new Random(seed);
        var toClientRandom = new Random(unchecked(seed * 7919 + 1));
        _forward = Task.Run(() => PumpAsync(_front, toClient: false, toServerRandom, ToServerCounters));
        _backward.Add(Task.Run(() => PumpAsync(_back, toClient: true, toClientRandom, ToClientCounters)));
    }

    /// <summary>Where the client sends: the relay's front socket, on the server's address family.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_front.LocalEndPoint!;

    public LinkConditions ToServer { get; set; }

    public LinkConditions ToClient { get; set; }

    public RelayDirectionCounters ToServerCounters { get; } = new();

    public RelayDirectionCounters ToClientCounters { get; } = new();

    /// <summary>Called on the relay's threads with each datagram as it arrived, before loss or corruption.</summary>
    public Action<RelayedDatagram>? Observe { get; set; }

    public long Forwarded { get; private set; }

    /// <summary>Datagrams dropped both ways (loss and blackholes).</summary>
    public long Dropped => ToServerCounters.Dropped + ToClientCounters.Dropped;

    /// <summary>Times the relay moved its server-side socket to a new port (<see cref="RebindServerSide"/>).</summary>
    public int Rebinds { get; private set; }

    /// <summary>The port the server sees the client's datagrams come from.</summary>
    public int ServerSidePort => ServerSideEndPoint.Port;

    /// <summary>The address and port the server sees the client's datagrams come from.</summary>
    public IPEndPoint ServerSideEndPoint => (IPEndPoint)_back.LocalEndPoint!;

    /// <summary>
    /// A NAT rebinding (RFC 9000 Section 9.3): from now on the client's datagrams reach the server from a new source port
    /// (on <paramref name="address"/>, such as 127.0.0.2, when given: a new address). The old mapping still delivers
    /// what the server sends to it for <see cref="OldMappingLinger"/>, as a NAT's does, then closes, and what the server
    /// sends there after that is lost. Without the linger a test could deadlock rather than test anything: a downloading
    /// client sends only when data reaches it, so if its last ACK went out before the move, nothing would ever come
    /// from the new port to show the server the new address.
    /// </summary>
    public void RebindServerSide(IPAddress? address = null)
    {
        var fresh = Bound(_server.AddressFamily, address);
        var old = _back;
        _back = fresh;
        Rebinds++;
        var random = new Random(unchecked(7919 * Rebinds + 17));
        _backward.Add(Task.Run(() => PumpAsync(fresh, toClient: true, random, ToClientCounters)));
        _ = Task.Delay(OldMappingLinger, _stop.Token).ContinueWith(_ => old.Dispose(), TaskScheduler.Default);
    }

    /// <summary>How long a rebinding's old mapping keeps delivering datagrams from the server (one second by default).</summary>
    public TimeSpan OldMappingLinger { get; set; } = TimeSpan.FromSeconds(1);

    public override string ToString() => $"to server: {ToServerCounters}; to client: {ToClientCounters}";

    private static Socket Bound(AddressFamily family, IPAddress? address = null)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp)
        {
            // A 10 MB transfer arrives in bursts faster than one relay thread forwards them; the default 208 KB
            // would drop datagrams the test did not ask to drop.
            ReceiveBufferSize = 4 * 1024 * 1024,
            SendBufferSize = 4 * 1024 * 1024,
        };
        socket.Bind(new IPEndPoint(address ?? (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback), 0));
        return socket;
    }

    private TimeSpan Now()
    {
        lock (_clockGate)
        {
            if (!_clock.IsRunning)
            {
                _clock.Start();
            }

            return _clock.Elapsed;
        }
    }

    private async Task PumpAsync(Socket from, bool toClient, Random random, RelayDirectionCounters counters)
    {
        var buffer = new byte[65_536];
        byte[]? held = null;
        var index = 0;
        var any = new IPEndPoint(from.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await from.ReceiveFromAsync(buffer, any, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // A disposed socket is gone for good: the relay stopped, or a rebinding replaced it.
                if (_stop.IsCancellationRequested || ex is ObjectDisposedException)
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
            var now = Now();
            counters.Arrived(datagram.Length);
            var seen = new RelayedDatagram(toClient, index++, datagram, now);
            Observe?.Invoke(seen);
            if (InBlackhole(conditions, now) || conditions.DropWhen?.Invoke(seen) == true || Chance(random, conditions.Loss))
            {
                counters.Drop();
                continue;
            }

            if (Chance(random, conditions.Corrupt))
            {
                datagram = (byte[])datagram.Clone();
                for (var i = 0; i < Math.Max(1, conditions.CorruptBytes); i++)
                {
                    datagram[random.Next(datagram.Length)] ^= (byte)(1 << random.Next(8));
                }

                counters.Corrupt();
            }

            var copies = 1;
            if (Chance(random, conditions.Duplicate))
            {
                copies = 2;
                counters.Duplicate();
            }

            if (held is null && Chance(random, conditions.Reorder))
            {
                held = datagram;
                counters.Reorder();
                continue;
            }

            for (var i = 0; i < copies; i++)
            {
                Send(datagram, toClient, conditions.Delay);
            }

            if (held is not null)
            {
                Send(held, toClient, conditions.Delay);
                held = null;
            }
        }
    }

    private static bool InBlackhole(LinkConditions conditions, TimeSpan now)
    {
        foreach (var (start, length) in conditions.Blackholes)
        {
            if (now >= start && now < start + length)
            {
                return true;
            }
        }

        return false;
    }

    private void Send(byte[] datagram, bool toClient, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            _ = Task.Delay(delay).ContinueWith(_ => SendNow(datagram, toClient), TaskScheduler.Default);
            return;
        }

        SendNow(datagram, toClient);
    }

    private void SendNow(byte[] datagram, bool toClient)
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

    private static bool Chance(Random random, double probability) => probability > 0 && random.NextDouble() < probability;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _front.Dispose();
        _back.Dispose();
        await Task.WhenAll([_forward, .. _backward]).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
