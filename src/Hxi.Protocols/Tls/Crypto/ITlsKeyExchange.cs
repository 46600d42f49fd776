namespace Hxi.Protocols.Tls;

/// <summary>One ephemeral key pair for a key_share; injectable so tests can replay RFC 8448's private keys.</summary>
public interface ITlsKeyExchange
{
    TlsNamedGroup Group { get; }

    /// <summary>The key_exchange bytes of our KeyShareEntry.</summary>
    byte[] PublicKey { get; }

    /// <summary>The shared secret with the peer's key_exchange bytes; a malformed or degenerate value is illegal_parameter.</summary>
    byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey);
}

/// <summary>Creates fresh key pairs for the groups hxi implements.</summary>
public static class TlsKeyExchange
{
    public static ITlsKeyExchange Create(TlsNamedGroup group) => group switch
    {
        TlsNamedGroup.X25519 => new X25519KeyExchange(),
        TlsNamedGroup.Secp256r1 => new P256KeyExchange(),
        _ => throw new ArgumentException($"group {TlsNamedGroups.Name(group)} is not implemented", nameof(group)),
    };
}
