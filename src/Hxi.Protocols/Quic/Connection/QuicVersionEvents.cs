using Hxi.Protocols.Quic.Packets;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>The connection moved from one QUIC version to another: by compatible negotiation (RFC 9368) or Version Negotiation.</summary>
public sealed record QuicVersionChanged(uint From, uint To, string How) : QuicEvent
{
    public override string ToString() => $"version {QuicVersion.Name(From)} -> {QuicVersion.Name(To)} by {How}";
}
