using System.Net;
using System.Net.Sockets;
using Hxi.Protocols.Quic.Ecn;

namespace Hxi.Net.Quic;

/// <summary>Hands one received datagram, who sent it and its ECN bits (Not-ECT when unknown), to the driver.</summary>
internal delegate void DatagramSink(ReadOnlySpan<byte> datagram, IPEndPoint from, EcnCodepoint ecn);

/// <summary>What a receive pass found.</summary>
internal enum UdpReceiveResult
{
    /// <summary>At least one datagram was delivered; there may be more.</summary>
    Received,

    /// <summary>Nothing was waiting.</summary>
    Empty,

    /// <summary>The kernel reported an ICMP port unreachable for something we sent (nothing listens there).</summary>
    Refused,
}

/// <summary>What became of a send.</summary>
internal enum UdpSendResult
{
    Sent,

    /// <summary>The socket's send buffer is full; the caller may wait for it to drain and try again.</summary>
    WouldBlock,

    /// <summary>An ICMP port unreachable for an earlier datagram surfaced here; this one is lost, as UDP may lose it.</summary>
    Refused,

    /// <summary>Lost on the way (no buffer space), as UDP may lose it; loss recovery resends what mattered.</summary>
    Dropped,
}

/// <summary>
/// Receives and sends datagrams on one non-blocking UDP socket: in batches where the kernel allows it (Linux:
/// recvmmsg with UDP GRO, sendmsg with UDP GSO), one at a time elsewhere. The only place that knows how.
/// </summary>
internal abstract class UdpSocketIo : IDisposable
{
    protected UdpSocketIo(Socket socket, IPEndPoint? connectedTo)
    {
        Socket = socket;
        ConnectedTo = connectedTo;
    }

    protected Socket Socket { get; }

    /// <summary>The peer of a connected socket (a client's); null for a server's socket.</summary>
    protected IPEndPoint? ConnectedTo { get; }

    /// <summary>How many equal-size datagrams one <see cref="Send"/> may carry (1 without GSO).</summary>
    public abstract int MaxSegments { get; }

    /// <summary>Whether received datagrams come coalesced by the kernel (GRO) and are split here.</summary>
    public abstract bool ReceivesCoalesced { get; }

    /// <summary>Whether received datagrams come with their ECN bits (<see cref="UdpEcn"/>); otherwise they read as Not-ECT.</summary>
    public virtual bool ReadsEcn => false;

    /// <summary>The I/O for <paramref name="socket"/>: batched on Linux when the kernel has it, portable otherwise.</summary>
    public static UdpSocketIo Create(Socket socket, IPEndPoint? connectedTo) =>
        (OperatingSystem.IsLinux() ? LinuxUdpSocketIo.TryCreate(socket, connectedTo) : null) as UdpSocketIo ?? new PortableUdpSocketIo(socket, connectedTo);

    /// <summary>Delivers what is waiting, a batch at most; never blocks.</summary>
    public abstract UdpReceiveResult Receive(DatagramSink sink);

    /// <summary>
    /// Sends <paramref name="datagrams"/>: one datagram, or several of <paramref name="segmentSize"/> bytes each (the
    /// last may be shorter) that the kernel splits (GSO). <paramref name="to"/> is null on a connected socket.
    /// </summary>
    public abstract UdpSendResult Send(ReadOnlySpan<byte> datagrams, int segmentSize, IPEndPoint? to);

    public virtual void Dispose()
    {
    }
}

/// <summary>One datagram per system call, through <see cref="System.Net.Sockets.Socket"/>: every platform.</summary>
internal sealed class PortableUdpSocketIo(Socket socket, IPEndPoint? connectedTo) : UdpSocketIo(socket, connectedTo)
{
    private const int Batch = 64;
    private readonly byte[] _buffer = new byte[65_536];
    private EndPoint _from = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);

    public override int MaxSegments => 1;

    public override bool ReceivesCoalesced => false;

    public override UdpReceiveResult Receive(DatagramSink sink)
    {
        var received = 0;
        while (received < Batch)
        {
            int length;
            SocketError error;
            IPEndPoint from;
            if (ConnectedTo is { } peer)
            {
                length = Socket.Receive(_buffer, SocketFlags.None, out error);
                from = peer;
            }
            else
            {
                // ReceiveFrom reports an empty socket by throwing; asking first is cheaper than an exception per pass.
                if (Socket.Available == 0)
                {
                    break;
                }

                try
                {
                    length = Socket.ReceiveFrom(_buffer, ref _from);
                    error = SocketError.Success;
                }
                catch (SocketException ex)
                {
                    length = 0;
                    error = ex.SocketErrorCode;
                }

                from = (IPEndPoint)_from;
            }

            switch (error)
            {
                case SocketError.Success:
                    received++;
                    sink(_buffer.AsSpan(0, length), from, EcnCodepoint.NotEct);
                    continue;
                case SocketError.ConnectionRefused or SocketError.ConnectionReset:
                    return UdpReceiveResult.Refused;
                case SocketError.WouldBlock:
                    return received > 0 ? UdpReceiveResult.Received : UdpReceiveResult.Empty;
                case SocketError.Interrupted or SocketError.MessageSize:
                    continue;
                default:
                    throw new SocketException((int)error);
            }
        }

        return received > 0 ? UdpReceiveResult.Received : UdpReceiveResult.Empty;
    }

    public override UdpSendResult Send(ReadOnlySpan<byte> datagrams, int segmentSize, IPEndPoint? to)
    {
        SocketError error;
        if (to is null)
        {
            Socket.Send(datagrams, SocketFlags.None, out error);
        }
        else
        {
            try
            {
                Socket.SendTo(datagrams, SocketFlags.None, to);
                error = SocketError.Success;
            }
            catch (SocketException ex)
            {
                error = ex.SocketErrorCode;
            }
        }

        return error switch
        {
            SocketError.Success => UdpSendResult.Sent,
            SocketError.WouldBlock => UdpSendResult.WouldBlock,
            SocketError.ConnectionRefused or SocketError.ConnectionReset => UdpSendResult.Refused,
            SocketError.NoBufferSpaceAvailable or SocketError.HostUnreachable or SocketError.NetworkUnreachable => UdpSendResult.Dropped,
            _ => throw new SocketException((int)error),
        };
    }
}
