namespace Hxi.Protocols.Tls;

/// <summary>Key exchange groups (RFC 9846 Section 4.2.7); hxi implements x25519 and secp256r1.</summary>
public enum TlsNamedGroup : ushort
{
    Secp256r1 = 0x0017,
    Secp384r1 = 0x0018,
    Secp521r1 = 0x0019,
    X25519 = 0x001d,
    X448 = 0x001e,
}

/// <summary>Names for display.</summary>
public static class TlsNamedGroups
{
    public static bool IsImplemented(ushort value) =>
        value is (ushort)TlsNamedGroup.X25519 or (ushort)TlsNamedGroup.Secp256r1;

    public static string Name(ushort value) => value switch
    {
        0x0017 => "secp256r1",
        0x0018 => "secp384r1",
        0x0019 => "secp521r1",
        0x001d => "x25519",
        0x001e => "x448",
        0x11ec => "X25519MLKEM768",
        >= 0x0100 and <= 0x0104 => $"ffdhe{2048 + ((value - 0x0100) * 1024)}",
        _ => $"0x{value:x4}",
    };

    public static string Name(TlsNamedGroup group) => Name((ushort)group);
}
