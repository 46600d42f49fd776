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

    /// <summary>The server's preferred address being probed or moved to (RFC 9000 Section 9.6); null when none.</summary>
    private IPEndPoint? _preferredAddress;

    /// <summary>Where datagrams go now: the address connected to, or the server's preferred address once moved there.</summary>
    public IPEndPoint CurrentRemoteEndPoint { get; private set; } = null!;

    /// <summary>
    /// Once the handshake is confirmed (RFC 9000 Section 9.6.1): a preferred address of our family from the server is probed
    /// from a second socket connected to it, while traffic stays on the first. A connected socket takes datagrams from its
    /// peer only, so the original path cannot hear the preferred address; a new local port also gives the new path a
    /// 4-tuple of its own, which with the new connection ID keeps the two paths unlinkable (Section 9.5), and the server's
    /// disable_active_migration does not forbid it, since it is not the address of the handshake (Section 18.2).
    /// </summary>
    private void ProbePreferredAddress()
    {
        if (!PathOptions.UsePreferredAddress || _core.PeerParameters?.PreferredAddress is not { } offered)
        {
            return;
        }

        // Section 9.6.3: a preferred address of the family in use; the zero address and port 0 mean "none of this family".
        var preferred = RemoteEndPoint.AddressFamily == AddressFamily.InterNetwork ? offered.IPv4 : offered.IPv6;
        if (preferred.Port == 0 || preferred.Address.Equals(IPAddress.Any) || preferred.Address.Equals(IPAddress.IPv6Any))
        {
            Log?.Invoke($"the server offers no preferred address for {RemoteEndPoint.AddressFamily}; staying on {RemoteEndPoint}");
            return;
        }

        EndPoint local;
        try
        {
            local = _driver.OpenSecondSocket(preferred);
        }
        catch (SocketException ex)
        {
            Log?.Invoke($"cannot reach the server's preferred address {preferred}: {ex.Message}; staying on {RemoteEndPoint}");
            return;
        }

        // Section 9.4: congestion state survives a move only when just the server's port differs.
        if (!_core.ProbePreferredAddress(_clock.Elapsed, portOnly: preferred.Address.Equals(RemoteEndPoint.Address)))
        {
            _driver.CloseSecondSocket();
            return;
        }

        _preferredAddress = preferred;
        Log?.Invoke($"probing the server's preferred address {preferred} from {local} (RFC 9000 Section 9.6)");
    }

    private void OnPreferredAddressReached()
    {
        _driver.PromoteSecondSocket();
        CurrentRemoteEndPoint = _preferredAddress!;
        Log?.Invoke($"moved to the server's preferred address {_preferredAddress} from {_driver.LocalEndPoint}");
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
