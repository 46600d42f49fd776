using Hxi.Protocols.Quic.Packets;

namespace Hxi.Protocols.Quic.Connection;

public sealed partial record QuicConnectionOptions
{
    /// <summary>Client: the version of its first Initial (RFC 9000 Section 15; v2 is RFC 9369). Version 1 by default.</summary>
    public uint Version { get; init; } = QuicVersion.Version1;

    /// <summary>
    /// The versions this endpoint accepts, in its order of preference, and offers as Available Versions in version_information
    /// (RFC 9368 Section 3). A server upgrades a client to the first of these the client also offers (compatible version
    /// negotiation, Section 2.3); a client follows such an upgrade, or a Version Negotiation packet, only to one of these.
    /// </summary>
    public IReadOnlyList<uint> Versions { get; init; } = QuicVersion.Supported;
}
