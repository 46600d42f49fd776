using System.Net;
using System.Net.Sockets;
using Hxi.Net.Client;

namespace Hxi.Net.Quic;

public sealed partial class QuicClientConnection
{
    private bool _rebound;

    private QuicPathOptions PathOptions { get; init; } = QuicPathOptions.Default;

    /// <summary>
    /// Moves to a new local UDP port (and to <paramref name="localAddress"/> when given) and tells the core, which validates
    /// the new path with PATH_CHALLENGE and moves to a fresh connection ID of the server's (RFC 9000 Sections 8.2, 9.5).
    /// Returns the new local endpoint, or null when the handshake is not yet confirmed (no migration before that).
    /// </summary>
    public Task<EndPoint?> MigrateAsync(IPAddress? localAddress) => _driver.InvokeAsync(() => Migrate(localAddress));

    /// <summary>--rebind-after: once enough packets came in and the handshake is confirmed, move (once) on the driver thread.</summary>
    private void RebindWhenDue()
    {
        if (_rebound || PathOptions.RebindAfterPackets <= 0 || !_core.IsHandshakeConfirmed
            || _core.Statistics.PacketsReceived < PathOptions.RebindAfterPackets)
        {
            return;
        }

        _rebound = true;
        // Not in the middle of the receive burst: the socket being read is the one that goes.
        _driver.Post(() => Migrate(PathOptions.RebindAddress));
    }

    private EndPoint? Migrate(IPAddress? localAddress)
    {
        if (!_core.IsHandshakeConfirmed)
        {
            return null;
        }

        var before = (IPEndPoint)_driver.LocalEndPoint;
        EndPoint after;
        try
        {
            after = _driver.Rebind(localAddress);
        }
        catch (SocketException ex)
        {
            throw new HxiException(FailureKind.Usage, $"cannot move the QUIC connection to {localAddress?.ToString() ?? "a new port"}: {ex.Message}", ex);
        }

        var portOnly = before.Address.Equals(((IPEndPoint)after).Address);
        _core.MigrateToNewPath(_clock.Elapsed, portOnly);
        Dispatch();
        return after;
    }
}
