using System.Security.Cryptography;
using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Quic.Protection;

/// <summary>The packet protection key, IV and header protection key derived from one traffic secret (RFC 9001 Section 5.1).</summary>
public sealed record QuicKeyMaterial(QuicCipherSuite CipherSuite, byte[] Key, byte[] Iv, byte[] HeaderProtectionKey)
{
    /// <summary>
    /// Applies "quic key", "quic iv" and "quic hp" to <paramref name="secret"/>; in QUIC v2 "quicv2 key", "quicv2 iv"
    /// and "quicv2 hp" (RFC 9369 Section 3.3.2).
    /// </summary>
    public static QuicKeyMaterial Derive(QuicCipherSuite suite, ReadOnlySpan<byte> secret, uint version = Packets.QuicVersion.Version1)
    {
        var hash = QuicCipherSuites.Hash(suite);
        int keyLength = QuicCipherSuites.KeyLength(suite);
        var prefix = LabelPrefix(version);
        return new QuicKeyMaterial(
            suite,
            TlsHkdf.ExpandLabel(hash, secret, prefix + " key", [], keyLength),
            TlsHkdf.ExpandLabel(hash, secret, prefix + " iv", [], QuicCipherSuites.IvLength),
            TlsHkdf.ExpandLabel(hash, secret, prefix + " hp", [], keyLength));
    }

    /// <summary>
    /// The secret of the next key phase: "quic ku" (RFC 9001 Section 6.1), "quicv2 ku" in v2. Header protection keys do
    /// not change.
    /// </summary>
    public static byte[] NextSecret(QuicCipherSuite suite, ReadOnlySpan<byte> secret, uint version = Packets.QuicVersion.Version1) =>
        TlsHkdf.ExpandLabel(QuicCipherSuites.Hash(suite), secret, LabelPrefix(version) + " ku", [], QuicCipherSuites.SecretLength(suite));

    private static string LabelPrefix(uint version) => version == Packets.QuicVersion.Version2 ? "quicv2" : "quic";

    public bool Equals(QuicKeyMaterial? other) =>
        other is not null && CipherSuite == other.CipherSuite && Key.AsSpan().SequenceEqual(other.Key)
        && Iv.AsSpan().SequenceEqual(other.Iv) && HeaderProtectionKey.AsSpan().SequenceEqual(other.HeaderProtectionKey);

    public override int GetHashCode() => HashCode.Combine(CipherSuite, Key.Length, Iv[0]);

    // Keys are secrets: the wire view prints sizes, the key log prints secrets.
    public override string ToString() =>
        $"{QuicCipherSuites.Name(CipherSuite)} key={Key.Length}B iv={Iv.Length}B hp={HeaderProtectionKey.Length}B";
}

/// <summary>The Initial secrets, derived from the client's first Destination Connection ID (RFC 9001 Section 5.2).</summary>
public sealed record QuicInitialSecrets(byte[] ClientSecret, byte[] ServerSecret)
{
    /// <summary>initial_salt for QUIC version 1.</summary>
    public static ReadOnlySpan<byte> Version1Salt =>
    [
        0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
        0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
    ];

    /// <summary>initial_salt for QUIC version 2 (RFC 9369 Section 3.3.1).</summary>
    public static ReadOnlySpan<byte> Version2Salt =>
    [
        0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
        0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
    ];

    /// <summary>The version whose salt made these secrets and whose labels their keys take.</summary>
    public uint Version { get; init; } = Packets.QuicVersion.Version1;

    public static QuicInitialSecrets Derive(ReadOnlySpan<byte> clientDestinationConnectionId, uint version = Packets.QuicVersion.Version1)
    {
        Span<byte> initialSecret = stackalloc byte[32];
        HKDF.Extract(HashAlgorithmName.SHA256, clientDestinationConnectionId, version == Packets.QuicVersion.Version2 ? Version2Salt : Version1Salt, initialSecret);
        return new QuicInitialSecrets(
            TlsHkdf.ExpandLabel(HashAlgorithmName.SHA256, initialSecret, "client in", [], 32),
            TlsHkdf.ExpandLabel(HashAlgorithmName.SHA256, initialSecret, "server in", [], 32))
        { Version = version };
    }

    /// <summary>Initial keys always use AES-128-GCM.</summary>
    public QuicKeyMaterial ClientKeys => QuicKeyMaterial.Derive(QuicCipherSuite.Aes128GcmSha256, ClientSecret, Version);

    public QuicKeyMaterial ServerKeys => QuicKeyMaterial.Derive(QuicCipherSuite.Aes128GcmSha256, ServerSecret, Version);

    public bool Equals(QuicInitialSecrets? other) =>
        other is not null && ClientSecret.AsSpan().SequenceEqual(other.ClientSecret)
        && ServerSecret.AsSpan().SequenceEqual(other.ServerSecret);

    public override int GetHashCode() => ClientSecret[0];

    public override string ToString() => "QuicInitialSecrets";
}
