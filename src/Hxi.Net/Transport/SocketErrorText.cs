using System.Net.Sockets;

namespace Hxi.Net.Transport;

/// <summary>
/// A socket error in the user's words. .NET's message for a failed connect ends with the address
/// ("Connection refused 127.0.0.1:1"), which hxi's own line already names.
/// </summary>
public static class SocketErrorText
{
    public static string Describe(SocketException error) => error.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.TimedOut => "timed out",
        SocketError.AddressNotAvailable => "address not available",
        SocketError.HostNotFound => "no such host",
        SocketError.TryAgain => "the name server did not answer (try again)",
        SocketError.NoData => "the name has no address",
        SocketError.ConnectionReset => "connection reset by the peer",
        SocketError.AccessDenied => "permission denied",
        _ => error.Message,
    };
}
