using System.Net;
using System.Net.Sockets;
using Hxi.Net.Quic;

namespace Hxi.Net.Tests;

/// <summary>The shared driver on a bound socket: datagrams from many senders in, replies to each out, batched where the kernel can.</summary>
public class UdpServerDriverTests
{
    [Fact]
    public async Task BoundDriver_AnswersEachSender_AtItsOwnAddress()
    {
        var endpoint = new EchoEndpoint();
        await using var driver = UdpDatagramDriver.Bind(endpoint, new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System, TimeProvider.System.GetTimestamp());
        driver.Start();
        var server = (IPEndPoint)driver.LocalEndPoint;
        using var first = Peer();
        using var second = Peer();
        for (var i = 0; i < 20; i++)
        {
            first.SendTo(new byte[100 + i], server);
            second.SendTo(new byte[200 + i], server);
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => 100 + i), ReceiveAll(first, 20));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => 200 + i), ReceiveAll(second, 20));
    }

    [Fact]
    public async Task EqualDatagramsToOnePeer_ArriveOneByOne_InFewerSendCallsWhereGsoIsThere()
    {
        var endpoint = new EchoEndpoint { Copies = 40 };
        await using var driver = UdpDatagramDriver.Bind(endpoint, new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System, TimeProvider.System.GetTimestamp());
        driver.Start();
        using var peer = Peer();
        peer.SendTo(new byte[1350], driver.LocalEndPoint);

        // 40 copies of 1350 bytes, then the original's echo (1350 too): each a datagram of its own at the peer.
        var sizes = ReceiveAll(peer, 41);
        Assert.All(sizes, size => Assert.Equal(1350, size));
        if (driver.Offloads.Gso)
        {
            Assert.True(driver.SendCalls < 41, $"{driver.SendCalls} send calls for 41 datagrams");
        }
    }

    private static Socket Peer()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static List<int> ReceiveAll(Socket socket, int count)
    {
        var sizes = new List<int>();
        var buffer = new byte[65_536];
        while (sizes.Count < count)
        {
            sizes.Add(socket.Receive(buffer));
        }

        return sizes;
    }

    /// <summary>Sends every datagram back to its sender (and <see cref="Copies"/> more of the first one).</summary>
    private sealed class EchoEndpoint : IAddressedDatagramEndpoint
    {
        private readonly Queue<(byte[] Datagram, IPEndPoint To)> _out = new();

        public int Copies { get; init; }

        public TimeSpan? NextTimeout => null;

        public bool IsTerminated => false;

        public void ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, TimeSpan now)
        {
            for (var i = 0; i < Copies; i++)
            {
                _out.Enqueue((datagram.ToArray(), from));
            }

            _out.Enqueue((datagram.ToArray(), from));
        }

        public int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to)
        {
            if (!_out.TryPeek(out var next) || next.Datagram.Length > destination.Length)
            {
                to = null;
                return 0;
            }

            _out.Dequeue();
            next.Datagram.CopyTo(destination);
            to = next.To;
            return next.Datagram.Length;
        }

        public void HandleTimeout(TimeSpan now)
        {
        }
    }
}
