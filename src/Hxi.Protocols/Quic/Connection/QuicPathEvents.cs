namespace Hxi.Protocols.Quic.Connection;

/// <summary>The connection's path changed (RFC 9000 Section 9): a PATH_CHALLENGE is on its way on the new one.</summary>
/// <param name="ByPeer">True when the peer appeared at a new address (server); false for our own move (client).</param>
/// <param name="NewConnectionId">Whether we moved to a fresh connection ID of the peer's for the new path (Section 9.5).</param>
/// <param name="CongestionReset">Whether congestion control and RTT started over (Section 9.4: not for a port-only change).</param>
public sealed record QuicPathChanged(bool ByPeer, bool NewConnectionId, bool CongestionReset, string Description) : QuicEvent
{
    public override string ToString() =>
        $"path changed: {Description}; {(NewConnectionId ? "new connection ID" : "same connection ID")}, {(CongestionReset ? "congestion state reset" : "congestion state kept")}";
}

/// <summary>The peer echoed our PATH_CHALLENGE in a PATH_RESPONSE: the new path is validated (RFC 9000 Section 8.2.3).</summary>
public sealed record QuicPathValidated(TimeSpan After) : QuicEvent
{
    public override string ToString() => $"path validated after {After.TotalMilliseconds:0.#} ms";
}

/// <summary>
/// No PATH_RESPONSE came within three PTOs (RFC 9000 Section 8.2.4): the new path is abandoned. With
/// <paramref name="WentBack"/> the connection is back on the previous, validated path (a client's driver moves back to
/// its old socket, a server's endpoint to the last validated address); otherwise there was none and the connection ended.
/// </summary>
public sealed record QuicPathValidationFailed(TimeSpan After, bool WentBack) : QuicEvent
{
    public override string ToString() =>
        $"path validation failed: no PATH_RESPONSE in {After.TotalMilliseconds:0.#} ms; {(WentBack ? "back on the previous path" : "no validated path left, connection abandoned")}";
}

/// <summary>
/// A second path is being probed while the connection stays on its own (RFC 9000 Sections 9.1, 9.6): a client's probe of
/// the server's preferred address (<paramref name="ByPeer"/> false), or a server answering and probing back the client
/// that reached its preferred address (true).
/// </summary>
public sealed record QuicPathProbeStarted(bool ByPeer, string Description) : QuicEvent
{
    public override string ToString() => $"path probe: {Description}; PATH_CHALLENGE on the new path, traffic stays on the current one";
}

/// <summary>The probed path answered a PATH_CHALLENGE; with <paramref name="Migrated"/> the connection moved there (a client at the preferred address).</summary>
public sealed record QuicPathProbeValidated(TimeSpan After, bool Migrated) : QuicEvent
{
    public override string ToString() =>
        $"path probe validated after {After.TotalMilliseconds:0.#} ms; {(Migrated ? "moving all traffic to the new path" : "moving there when the peer does")}";
}

/// <summary>No PATH_RESPONSE came from the probed path in time (RFC 9000 Section 8.2.4): it is abandoned and the connection stays where it is.</summary>
public sealed record QuicPathProbeFailed(TimeSpan After) : QuicEvent
{
    public override string ToString() => $"path probe failed: no PATH_RESPONSE in {After.TotalMilliseconds:0.#} ms; staying on the current path";
}
