using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hxi.Net.Quic;
using Hxi.Protocols.Quic.Ecn;

namespace Hxi.Net.Tests;

/// <summary>
/// The UDP driver carries each datagram's ECN codepoint both ways (RFC 9000 Section 13.4): set with IP_TOS or
/// IPV6_TCLASS on send, read from the IP_TOS or IPV6_TCLASS control message on receive. Linux loopback keeps the TOS byte.
/// </summary>
public class UdpEcnDriverTests
{
    private static readonly EcnCodepoint[] Sequence =
        [EcnCodepoint.Ect0, EcnCodepoint.Ect0, EcnCodepoint.Ce, EcnCodepoint.NotEct, EcnCodepoint.Ect1, EcnCodepoint.Ect0];

    [Fact]
    public Task EachDatagram_ArrivesWithTheCodepointItWasSentWith_Ipv4() => RoundTrip(IPAddress.Loopback);

    [Fact]
    public Task EachDatagram_ArrivesWithTheCodepointItWasSentWith_Ipv6()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return Task.CompletedTask;
        }

        return RoundTrip(IPAddress.IPv6Loopback);
    }

    private static async Task RoundTrip(IPAddress loopback)
    {
        var server = new RecordingServer(Sequence.Length);
        await using var serverDriver = UdpDatagramDriver.Bind(server, new IPEndPoint(loopback, 0), TimeProvider.System, TimeProvider.System.GetTimestamp());
        serverDriver.Start();
        var client = new MarkingClient(Sequence);
        await using var clientDriver = new UdpDatagramDriver(client, (IPEndPoint)serverDriver.LocalEndPoint, Stopwatch.StartNew());
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere nothing is marked or read, and the driver says so.
            Assert.Equal((false, false), clientDriver.Ecn);
            return;
        }

        Assert.Equal((true, true), clientDriver.Ecn);
        Assert.Equal((true, true), serverDriver.Ecn);
        clientDriver.Start();
        await server.Done.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Each datagram carries its index, so the order the kernel delivered them in does not matter.
        var received = server.Received.OrderBy(r => r.Index).Select(r => r.Ecn).ToArray();
        Assert.Equal(Sequence, received);
    }

    /// <summary>Sends one datagram per codepoint of the sequence, the codepoint's index as its first byte.</summary>
    private sealed class MarkingClient(EcnCodepoint[] sequence) : IDatagramEndpoint
    {
        private int _next;

        public TimeSpan? NextTimeout => null;

        public bool IsTerminated => false;

        public void ReceiveDatagram(ReadOnlySpan<byte> datagram, TimeSpan now)
        {
        }

        public int WriteDatagram(Span<byte> destination, TimeSpan now) => throw new InvalidOperationException("the driver asks for the codepoint");

        public int WriteDatagram(Span<byte> destination, TimeSpan now, out EcnCodepoint ecn)
        {
            ecn = EcnCodepoint.NotEct;
            if (_next == sequence.Length)
            {
                return 0;
            }

            ecn = sequence[_next];
            destination[..100].Fill(0xab);
            destination[0] = (byte)_next++;
            return 100;
        }

        public void HandleTimeout(TimeSpan now)
        {
        }
    }

    private sealed class RecordingServer(int expected) : IAddressedDatagramEndpoint
    {
        public ConcurrentQueue<(int Index, EcnCodepoint Ecn)> Received { get; } = new();

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TimeSpan? NextTimeout => null;

        public bool IsTerminated => false;

        public void ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, TimeSpan now) => throw new InvalidOperationException("the driver hands over the codepoint");

        public void ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, TimeSpan now, EcnCodepoint ecn)
        {
            Received.Enqueue((datagram[0], ecn));
            if (Received.Count == expected)
            {
                Done.TrySetResult();
            }
        }

        public int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to)
        {
            to = null;
            return 0;
        }

        public void HandleTimeout(TimeSpan now)
        {
        }
    }
}
