using System.Net;
using System.Net.Sockets;

namespace Hxi.Interop.Tests;

/// <summary>Picks loopback ports for peers that must be told their port on the command line.</summary>
public static class FreePort
{
    /// <summary>
    /// A TCP port that was free on 127.0.0.1 a moment ago. The port is released before the peer binds it,
    /// so another process could take it in between; that race is rare and shows up as a clear start-up failure.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
