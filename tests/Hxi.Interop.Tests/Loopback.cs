using System.Net;
using System.Net.Sockets;

namespace Hxi.Interop.Tests;

/// <summary>What the loopback interface offers on this machine.</summary>
public static class Loopback
{
    private static readonly Lazy<bool> Ipv6 = new(CanBindIpv6);

    /// <summary>
    /// Whether ::1 can be bound: containers often run with IPv6 disabled, and a peer told to bind [::1]
    /// there would fail to start, so fixtures bind it only when this is true.
    /// </summary>
    public static bool HasIpv6 => Ipv6.Value;

    private static bool CanBindIpv6()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return false;
        }
        try
        {
            using var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
