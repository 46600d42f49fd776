namespace Hxi.Protocols.Quic.Packets;

/// <summary>QUIC version numbers (RFC 9000 Section 15).</summary>
public static class QuicVersion
{
    public const uint VersionNegotiation = 0x00000000;
    public const uint Version1 = 0x00000001;

    /// <summary>Versions of the form 0x?a?a?a?a are reserved to exercise version negotiation.</summary>
    public static bool IsReserved(uint version) => (version & 0x0f0f0f0f) == 0x0a0a0a0a;

    public static string Name(uint version) => version switch
    {
        Version1 => "v1",
        VersionNegotiation => "negotiation",
        _ when IsReserved(version) => $"0x{version:x8} (reserved)",
        _ => $"0x{version:x8}",
    };
}
