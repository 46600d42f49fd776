using System.Security.Cryptography;

namespace Hxi.Protocols.Quic.Protection;

/// <summary>The TLS 1.3 cipher suites QUIC packet protection supports (RFC 9001 Section 5.3), by their TLS code.</summary>
public enum QuicCipherSuite : ushort
{
    Aes128GcmSha256 = 0x1301,
    Aes256GcmSha384 = 0x1302,
    ChaCha20Poly1305Sha256 = 0x1303,
}

/// <summary>Sizes and hash of each <see cref="QuicCipherSuite"/>.</summary>
public static class QuicCipherSuites
{
    /// <summary>Every suite uses a 16-byte AEAD tag and a 12-byte nonce.</summary>
    public const int TagLength = 16;

    public const int IvLength = 12;

    /// <summary>Header protection samples 16 bytes of ciphertext for every suite here (RFC 9001 Section 5.4.2).</summary>
    public const int SampleLength = 16;

    public static int KeyLength(QuicCipherSuite suite) => suite switch
    {
        QuicCipherSuite.Aes128GcmSha256 => 16,
        QuicCipherSuite.Aes256GcmSha384 or QuicCipherSuite.ChaCha20Poly1305Sha256 => 32,
        _ => throw Unsupported(suite),
    };

    public static HashAlgorithmName Hash(QuicCipherSuite suite) => suite switch
    {
        QuicCipherSuite.Aes128GcmSha256 or QuicCipherSuite.ChaCha20Poly1305Sha256 => HashAlgorithmName.SHA256,
        QuicCipherSuite.Aes256GcmSha384 => HashAlgorithmName.SHA384,
        _ => throw Unsupported(suite),
    };

    /// <summary>The length of the suite's traffic secrets (its hash output).</summary>
    public static int SecretLength(QuicCipherSuite suite) => suite == QuicCipherSuite.Aes256GcmSha384 ? 48 : 32;

    public static string Name(QuicCipherSuite suite) => suite switch
    {
        QuicCipherSuite.Aes128GcmSha256 => "TLS_AES_128_GCM_SHA256",
        QuicCipherSuite.Aes256GcmSha384 => "TLS_AES_256_GCM_SHA384",
        QuicCipherSuite.ChaCha20Poly1305Sha256 => "TLS_CHACHA20_POLY1305_SHA256",
        _ => $"0x{(ushort)suite:x4}",
    };

    private static ArgumentOutOfRangeException Unsupported(QuicCipherSuite suite) =>
        new(nameof(suite), suite, "not a cipher suite QUIC v1 defines packet protection for");
}
