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
