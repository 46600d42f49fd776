using System.Net.Sockets;
using Hxi.Protocols.Quic.Ecn;

namespace Hxi.Net.Quic;

/// <summary>
/// The ECN bits of UDP datagrams on Linux (RFC 9000 Section 13.4): the codepoint to send is the socket's IP_TOS or
/// IPV6_TCLASS, set when it changes (one setsockopt per change, so a GSO batch keeps one codepoint); received ones come
/// as IP_TOS or IPV6_TCLASS control messages once IP_RECVTOS or IPV6_RECVTCLASS is on, which <see cref="LinuxUdpSocketIo"/>
/// reads with recvmmsg (.NET's Socket has no way to return them). Elsewhere, or when the kernel refuses an option,
/// datagrams go unmarked and arrive as Not-ECT.
/// </summary>
internal static unsafe class UdpEcn
{
    private const int SolIp = 0;
    private const int IpTos = 1;
    private const int IpRecvTos = 13;
    private const int SolIpv6 = 41;
    private const int Ipv6RecvTclass = 66;
    private const int Ipv6Tclass = 67;

    /// <summary>Asks the kernel for the TOS or Traffic Class byte of every datagram received on <paramref name="socket"/>.</summary>
    public static bool TryEnableReceive(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        return socket.AddressFamily == AddressFamily.InterNetworkV6
            ? TrySet(socket, SolIpv6, Ipv6RecvTclass, 1) && (socket.DualMode is false || TrySet(socket, SolIp, IpRecvTos, 1))
            : TrySet(socket, SolIp, IpRecvTos, 1);
    }

    /// <summary>Sets the ECN bits of what <paramref name="socket"/> sends from now on (the DSCP bits stay zero).</summary>
    public static bool TrySetCodepoint(Socket socket, EcnCodepoint codepoint)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        return socket.AddressFamily == AddressFamily.InterNetworkV6
            ? TrySet(socket, SolIpv6, Ipv6Tclass, (int)codepoint) && (socket.DualMode is false || TrySet(socket, SolIp, IpTos, (int)codepoint))
            : TrySet(socket, SolIp, IpTos, (int)codepoint);
    }

    /// <summary>
    /// Whether a control message (struct cmsghdr: size_t len; int level; int type; data) at <paramref name="message"/> is
    /// the received TOS or Traffic Class; IPv4's is one byte, IPv6's an int.
    /// </summary>
    public static bool TryReadCodepoint(byte* message, int level, int type, out EcnCodepoint codepoint)
    {
        var data = message + sizeof(nuint) + 8;
        if (level == SolIp && type == IpTos)
        {
            codepoint = EcnCodepoints.FromTrafficClass(*data);
            return true;
        }

        if (level == SolIpv6 && type == Ipv6Tclass)
        {
            codepoint = EcnCodepoints.FromTrafficClass(*(int*)data);
            return true;
        }

        codepoint = EcnCodepoint.NotEct;
        return false;
    }

    private static bool TrySet(Socket socket, int level, int option, int value)
    {
        try
        {
            socket.SetRawSocketOption(level, option, BitConverter.GetBytes(value));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>
/// The codepoint a socket marks its datagrams with, changed only when the next datagram wants another one. Turns itself
/// off for good when the kernel refuses the option: the connection is then told to stop marking.
/// </summary>
internal sealed class UdpEcnMarking
{
    private readonly Socket _socket;
    private EcnCodepoint _current;

    public UdpEcnMarking(Socket socket)
    {
        _socket = socket;
        // Marking is on when setting Not-ECT (the kernel's default) works: a socket that takes it takes ECT(0) too.
        CanMark = UdpEcn.TrySetCodepoint(socket, EcnCodepoint.NotEct);
    }

    /// <summary>Whether datagrams can carry the codepoint asked for; false elsewhere than Linux or if the option failed.</summary>
    public bool CanMark { get; private set; }

    /// <summary>Makes the next send carry <paramref name="codepoint"/>; false when it will go unmarked.</summary>
    public bool Apply(EcnCodepoint codepoint)
    {
        if (!CanMark)
        {
            return codepoint == EcnCodepoint.NotEct;
        }

        if (codepoint != _current)
        {
            if (!UdpEcn.TrySetCodepoint(_socket, codepoint))
            {
                CanMark = false;
                UdpEcn.TrySetCodepoint(_socket, EcnCodepoint.NotEct);
                return codepoint == EcnCodepoint.NotEct;
            }

            _current = codepoint;
        }

        return true;
    }
}
