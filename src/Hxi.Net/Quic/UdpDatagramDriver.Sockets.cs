using System.Net;
using System.Net.Sockets;

namespace Hxi.Net.Quic;

/// <summary>Opening and closing the sockets of the driver's paths: the first, a client's new one after a move, the second.</summary>
public sealed partial class UdpDatagramDriver
{
    /// <summary>
    /// A UDP socket bound to <paramref name="bindTo"/> (an IPv6 one for IPv6 alone, not dual-stack) and connected to
    /// <paramref name="connectTo"/>, either of them optional; closed again when either step fails.
    /// </summary>
    private static Socket OpenSocket(AddressFamily family, IPEndPoint? bindTo, IPEndPoint? connectTo)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        var opened = false;
        try
        {
            if (bindTo is not null)
            {
                if (family == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = false;
                }

                socket.Bind(bindTo);
            }

            if (connectTo is not null)
            {
                socket.Connect(connectTo);
            }

            opened = true;
            return socket;
        }
        finally
        {
            if (!opened)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>
    /// A socket made ready for the driver loop: non-blocking, with the large receive buffer, read and written through
    /// its batched I/O. A socket that cannot be made ready is closed.
    /// </summary>
    private static UdpSocketIo Prepare(Socket socket, IPEndPoint? connectedTo)
    {
        UdpSocketIo? io = null;
        try
        {
            socket.Blocking = false;
            EnlargeReceiveBuffer(socket);
            io = UdpSocketIo.Create(socket, connectedTo);
            return io;
        }
        finally
        {
            if (io is null)
            {
                socket.Dispose();
            }
        }
    }

    private static void Close(Socket socket, UdpSocketIo io)
    {
        io.Dispose();
        socket.Dispose();
    }
}
