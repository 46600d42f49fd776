using System.Net;
using System.Net.Sockets;

namespace Hxi.Net.Quic;

public sealed partial class UdpDatagramDriver
{
    // The path before the last move, kept (unread) until the new one is validated, to go back to if it is not.
    private (Socket Socket, UdpSocketIo Io)? _previousPath;

    /// <summary>
    /// A client's move to a new path (RFC 9000 Section 9): a fresh socket, connected to the same peer from a new local port,
    /// bound to <paramref name="localAddress"/> when given. The old socket is no longer read, as a NAT's old mapping would
    /// stop delivering, but stays open until the new path is validated (<see cref="ForgetPreviousPath"/>) or fails
    /// (<see cref="ReturnToPreviousPath"/>). Runs on the driver thread only (from <see cref="Post"/> or <see cref="InvokeAsync{T}"/>).
    /// </summary>
    internal EndPoint Rebind(IPAddress? localAddress)
    {
        var remote = _connectedTo ?? throw new InvalidOperationException("only a client's connected socket moves; a server's stays bound");
        var socket = OpenSocket(remote.AddressFamily, localAddress is null ? null : new IPEndPoint(localAddress, 0), remote);
        var io = Prepare(socket, remote);

        // Only one path is kept to go back to: the one we are leaving (the core goes back only when it was validated).
        ForgetPreviousPath();
        _previousPath = (_socket, _io);
        _socket = socket;
        _io = io;
        _ecn = new UdpEcnMarking(socket);
        return socket.LocalEndPoint!;
    }

    /// <summary>
    /// The new path failed validation (RFC 9000 Section 8.2.4): its socket closes and the previous one is read again.
    /// Returns the local endpoint now in use, or null when there was no previous path to go back to.
    /// </summary>
    internal EndPoint? ReturnToPreviousPath()
    {
        if (_previousPath is not { } previous)
        {
            return null;
        }

        _previousPath = null;
        var (failedSocket, failedIo) = (_socket, _io);
        (_socket, _io) = previous;
        // A fresh marking starts from Not-ECT on the socket too: the core tests ECN again on the path it returns to.
        _ecn = new UdpEcnMarking(_socket);
        Close(failedSocket, failedIo);
        return _socket.LocalEndPoint!;
    }

    /// <summary>The new path is validated: the previous one is not needed any more.</summary>
    internal void ForgetPreviousPath()
    {
        if (_previousPath is { } previous)
        {
            _previousPath = null;
            Close(previous.Socket, previous.Io);
        }
    }
}
