using System.Net;
using System.Net.Sockets;

namespace Hxi.Net.Quic;

public sealed partial class UdpDatagramDriver
{
    /// <summary>
    /// A client's move to a new path (RFC 9000 Section 9): a fresh socket, connected to the same peer from a new local port,
    /// bound to <paramref name="localAddress"/> when given. The old socket closes, as a NAT's old mapping would stop
    /// delivering. Runs on the driver thread only (from <see cref="Post"/> or <see cref="InvokeAsync{T}"/>).
    /// </summary>
    internal EndPoint Rebind(IPAddress? localAddress)
    {
        var remote = _connectedTo ?? throw new InvalidOperationException("only a client's connected socket moves; a server's stays bound");
        var socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        UdpSocketIo? io = null;
        try
        {
            if (localAddress is not null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }

            socket.Connect(remote);
            socket.Blocking = false;
            EnlargeReceiveBuffer(socket);
            io = UdpSocketIo.Create(socket, remote);
        }
        finally
        {
            if (io is null)
            {
                socket.Dispose();
            }
        }

        var (oldSocket, oldIo) = (_socket, _io);
        _socket = socket;
        _io = io;
        _ecn = new UdpEcnMarking(socket);
        oldIo.Dispose();
        oldSocket.Dispose();
        return socket.LocalEndPoint!;
    }
}
