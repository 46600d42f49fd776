using System.Net;
using System.Net.Sockets;

namespace Hxi.Server;

/// <summary>
/// Port numbers free on every address the server binds: a server on 127.0.0.1 and ::1 needs the same number on
/// both (and on UDP too for the HTTPS port, which HTTP/3 shares), which port 0 on one socket cannot promise.
/// </summary>
internal static class LoopbackPorts
{
    private const int Attempts = 50;

    /// <summary>A port that TCP (and, with <paramref name="udpToo"/>, UDP) can bind on every address; 0 when none was found.</summary>
    public static int PickShared(IReadOnlyList<IPAddress> addresses, bool udpToo, ICollection<int> taken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            int port;
            using (var probe = new Socket(addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp))
            {
                probe.Bind(new IPEndPoint(addresses[0], 0));
                port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            }

            if (!taken.Contains(port) && addresses.All(a => CanBind(a, port, SocketType.Stream) && (!udpToo || CanBind(a, port, SocketType.Dgram))))
            {
                taken.Add(port);
                return port;
            }
        }

        return 0;
    }

    /// <summary>Whether this machine has ::1 (a container may have IPv6 off).</summary>
    public static bool HasIPv6Loopback() => CanBind(IPAddress.IPv6Loopback, 0, SocketType.Dgram);

    private static bool CanBind(IPAddress address, int port, SocketType type)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
