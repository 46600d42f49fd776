namespace Hxi.Protocols.Quic.Packets;

/// <summary>QUIC version numbers (RFC 9000 Section 15).</summary>
public static class QuicVersion
{
    public const uint VersionNegotiation = 0x00000000;
    public const uint Version1 = 0x00000001;

    /// <summary>QUIC version 2 (RFC 9369 Section 3.1): v1 with new salts, labels and long header type bits.</summary>
    public const uint Version2 = 0x6b3343cf;

    /// <summary>The versions hxi speaks, in its order of preference as a server (RFC 9368 Section 2.3).</summary>
    public static IReadOnlyList<uint> Supported { get; } = [Version2, Version1];

    /// <summary>Whether packets of <paramref name="version"/> can be parsed and protected here.</summary>
    public static bool IsSupported(uint version) => version is Version1 or Version2;

    /// <summary>Versions of the form 0x?a?a?a?a are reserved to exercise version negotiation.</summary>
    public static bool IsReserved(uint version) => (version & 0x0f0f0f0f) == 0x0a0a0a0a;

    public static string Name(uint version) => version switch
    {
        Version1 => "v1",
        Version2 => "v2",
        VersionNegotiation => "negotiation",
        _ when IsReserved(version) => $"0x{version:x8} (reserved)",
        _ => $"0x{version:x8}",
    };
}
