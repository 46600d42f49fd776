using System.Security.Cryptography;

namespace Hxi.Protocols.Tls;

/// <summary>The TLS 1.3 cipher suites (RFC 9846 Appendix B.4) that QUIC v1 can use.</summary>
public enum TlsCipherSuite : ushort
{
    Aes128GcmSha256 = 0x1301,
    Aes256GcmSha384 = 0x1302,
    ChaCha20Poly1305Sha256 = 0x1303,
}

/// <summary>What a cipher suite means for the key schedule and for QUIC's packet protection.</summary>
public static class TlsCipherSuites
{
    public static readonly IReadOnlyList<TlsCipherSuite> All =
        [TlsCipherSuite.Aes128GcmSha256, TlsCipherSuite.Aes256GcmSha384, TlsCipherSuite.ChaCha20Poly1305Sha256];

    public static bool IsKnown(ushort value) =>
        value is (ushort)TlsCipherSuite.Aes128GcmSha256 or (ushort)TlsCipherSuite.Aes256GcmSha384
            or (ushort)TlsCipherSuite.ChaCha20Poly1305Sha256;

    public static HashAlgorithmName Hash(TlsCipherSuite suite) =>
        suite == TlsCipherSuite.Aes256GcmSha384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    public static int HashLength(TlsCipherSuite suite) => suite == TlsCipherSuite.Aes256GcmSha384 ? 48 : 32;

    /// <summary>AEAD key length in bytes; the IV is 12 bytes for all three.</summary>
    public static int KeyLength(TlsCipherSuite suite) => suite == TlsCipherSuite.Aes128GcmSha256 ? 16 : 32;

    public static string Name(ushort value) => value switch
    {
        0x1301 => "TLS_AES_128_GCM_SHA256",
        0x1302 => "TLS_AES_256_GCM_SHA384",
        0x1303 => "TLS_CHACHA20_POLY1305_SHA256",
        0x1304 => "TLS_AES_128_CCM_SHA256",
        0x1305 => "TLS_AES_128_CCM_8_SHA256",
        _ => $"0x{value:x4}",
    };

    public static string Name(TlsCipherSuite suite) => Name((ushort)suite);
}
