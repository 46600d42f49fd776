namespace Hxi.Protocols.Quic.Ecn;

/// <summary>
/// The peer reported more ECN-CE marks (RFC 9002 Section 7.1), recorded on the tap: <paramref name="WindowBefore"/> and
/// <paramref name="WindowAfter"/> are equal when the connection was already recovering from a congestion event this round trip.
/// </summary>
public sealed record EcnCongestionExperienced(ulong CeCount, long WindowBefore, long WindowAfter)
{
    public bool ReducedWindow => WindowAfter < WindowBefore;
}
