using System.Net;
using Hxi.Protocols.Quic.Packets;

namespace Hxi.Net.Quic;

/// <summary>
/// A client's QUIC version and path behaviour: <c>--quic-version</c> (RFC 9000 Section 15, RFC 9369), the
/// migration test knobs <c>--rebind-after</c> and <c>--rebind-address</c> (RFC 9000 Section 9), and
/// <c>--no-preferred-address</c> (Section 9.6).
/// </summary>
public sealed record QuicPathOptions
{
    public static readonly QuicPathOptions Default = new();

    /// <summary>The version of the first Initial; the client still follows a server's compatible upgrade (RFC 9368).</summary>
    public uint Version { get; init; } = QuicVersion.Version1;

    /// <summary>
    /// Move to a new local UDP port once this many QUIC packets have been received (0: never). Counted from the start of the
    /// connection; a move waits for the handshake to be confirmed, since RFC 9000 Section 9 forbids migrating earlier.
    /// </summary>
    public long RebindAfterPackets { get; init; }

    /// <summary>The local address the new socket binds to (another loopback address such as 127.0.0.2); null keeps the address and changes only the port.</summary>
    public IPAddress? RebindAddress { get; init; }

    /// <summary>
    /// Move to the server's preferred address once the handshake is confirmed, after validating it (RFC 9000 Section 9.6.1);
    /// false (--no-preferred-address) stays on the address the connection began on.
    /// </summary>
    public bool UsePreferredAddress { get; init; } = true;
}
