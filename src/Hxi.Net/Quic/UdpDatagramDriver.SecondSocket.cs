using System.Net;
using System.Net.Sockets;
using Hxi.Protocols.Quic.Ecn;

namespace Hxi.Net.Quic;

/// <summary>
/// A second socket beside the first, for the server's preferred address (RFC 9000 Section 9.6): on a server, the socket
/// bound to the preferred address, read and written beside the listening one for as long as the driver runs; on a
/// client, a socket connected to the preferred address that carries the probe of that path and, when the probe succeeds,
/// becomes the only one. Datagrams that came on it reach the endpoint flagged so, and the endpoint says which socket each
/// datagram leaves from.
/// </summary>
public sealed partial class UdpDatagramDriver
{
    private SecondSocket? _second;

    // A client's first socket after it moved to the second: closed at the top of the next loop, not under a receive burst.
    private (Socket Socket, UdpSocketIo Io)? _retired;

    /// <summary>The second socket's local address (the server's preferred address); null when there is none.</summary>
    public EndPoint? SecondLocalEndPoint => _second?.Socket.LocalEndPoint;

    /// <summary>Datagrams that came in on the second socket.</summary>
    public long SecondSocketDatagramsReceived { get; private set; }

    /// <summary>Datagrams that left from the second socket.</summary>
    public long SecondSocketDatagramsSent { get; private set; }

    /// <summary>
    /// A server's driver with two bound sockets: <paramref name="local"/>, where clients connect, and
    /// <paramref name="preferred"/>, the preferred address they may move to (RFC 9000 Section 9.6).
    /// </summary>
    public static UdpDatagramDriver Bind(IAddressedDatagramEndpoint endpoint, IPEndPoint local, IPEndPoint preferred, TimeProvider time, long epoch, string threadName)
    {
        var driver = Bind(endpoint, local, time, epoch, threadName);
        var attached = false;
        try
        {
            driver.Attach(OpenSocket(preferred.AddressFamily, preferred, null), null);
            attached = true;
            return driver;
        }
        finally
        {
            if (!attached)
            {
                driver.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>
    /// A client's socket connected to <paramref name="remote"/> (the server's preferred address), read beside the first.
    /// The kernel picks its local address by the route to the preferred address, which need not be the first path's.
    /// Runs on the driver thread only.
    /// </summary>
    internal EndPoint OpenSecondSocket(IPEndPoint remote)
    {
        CloseSecondSocket();
        var socket = OpenSocket(remote.AddressFamily, null, remote);
        Attach(socket, remote);
        return socket.LocalEndPoint!;
    }

    /// <summary>
    /// The client moved to the second socket's path: it becomes the first and only one; the old first closes (after the
    /// receive burst in progress, if any). Runs on the driver thread only.
    /// </summary>
    internal void PromoteSecondSocket()
    {
        if (_second is not { } second)
        {
            return;
        }

        _second = null;
        ForgetPreviousPath();
        CloseRetired();
        _retired = (_socket, _io);
        (_socket, _io, _ecn) = (second.Socket, second.Io, second.Ecn);
        _connectedTo = second.ConnectedTo;
    }

    /// <summary>The second socket's path was abandoned: it closes. Runs on the driver thread only.</summary>
    internal void CloseSecondSocket()
    {
        if (_second is { } second)
        {
            _second = null;
            Close(second.Socket, second.Io);
        }
    }

    /// <summary>Makes <paramref name="socket"/> the second one; it is closed if it cannot be made ready.</summary>
    private void Attach(Socket socket, IPEndPoint? connectedTo)
    {
        var io = Prepare(socket, connectedTo);
        _second = new SecondSocket(socket, io, new UdpEcnMarking(socket), connectedTo);
    }

    private void CloseRetired()
    {
        if (_retired is { } retired)
        {
            _retired = null;
            Close(retired.Socket, retired.Io);
        }
    }

    private void ReceiveSecondBurst(SecondSocket second)
    {
        for (var read = 0; read < MaxReceiveBurst; read++)
        {
            // The socket is captured: a client that moves to it mid-burst keeps reading it, as its first socket now.
            if (second.Io.Receive(_secondSink) == UdpReceiveResult.Empty)
            {
                return;
            }
        }
    }

    private void DeliverFromSecond(ReadOnlySpan<byte> datagram, IPEndPoint from, EcnCodepoint ecn)
    {
        DatagramsReceived++;
        SecondSocketDatagramsReceived++;
        _roundBytes += datagram.Length;
        _endpoint.ReceiveDatagram(datagram, from, atSecondSocket: true, Now, ecn);
    }

    private sealed record SecondSocket(Socket Socket, UdpSocketIo Io, UdpEcnMarking Ecn, IPEndPoint? ConnectedTo);
}
