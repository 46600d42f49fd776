namespace Hxi.Protocols.Tls;

/// <summary>Signature schemes (RFC 9846 Section 4.2.3).</summary>
public enum TlsSignatureScheme : ushort
{
    RsaPkcs1Sha256 = 0x0401,
    RsaPkcs1Sha384 = 0x0501,
    RsaPkcs1Sha512 = 0x0601,
    EcdsaSecp256r1Sha256 = 0x0403,
    EcdsaSecp384r1Sha384 = 0x0503,
    EcdsaSecp521r1Sha512 = 0x0603,
    RsaPssRsaeSha256 = 0x0804,
    RsaPssRsaeSha384 = 0x0805,
    RsaPssRsaeSha512 = 0x0806,
    Ed25519 = 0x0807,
    Ed448 = 0x0808,
    RsaPssPssSha256 = 0x0809,
    RsaPssPssSha384 = 0x080a,
    RsaPssPssSha512 = 0x080b,
    RsaPkcs1Sha1 = 0x0201,
    EcdsaSha1 = 0x0203,
}

/// <summary>The lists hxi offers, and display names.</summary>
public static class TlsSignatureSchemes
{
    /// <summary>What a CertificateVerify may use: never PKCS#1 v1.5 or SHA-1 (RFC 9846 Section 4.4.3).</summary>
    public static readonly IReadOnlyList<TlsSignatureScheme> ForCertificateVerify =
    [
        TlsSignatureScheme.EcdsaSecp256r1Sha256,
        TlsSignatureScheme.EcdsaSecp384r1Sha384,
        TlsSignatureScheme.RsaPssRsaeSha256,
        TlsSignatureScheme.RsaPssRsaeSha384,
        TlsSignatureScheme.RsaPssRsaeSha512,
        TlsSignatureScheme.Ed25519,
    ];

    /// <summary>What certificates in the chain may be signed with: PKCS#1 v1.5 is still what most CAs use.</summary>
    public static readonly IReadOnlyList<TlsSignatureScheme> ForCertificates =
    [
        .. ForCertificateVerify,
        TlsSignatureScheme.RsaPkcs1Sha256,
        TlsSignatureScheme.RsaPkcs1Sha384,
        TlsSignatureScheme.RsaPkcs1Sha512,
    ];

    public static string Name(ushort value) => value switch
    {
        0x0401 => "rsa_pkcs1_sha256",
        0x0501 => "rsa_pkcs1_sha384",
        0x0601 => "rsa_pkcs1_sha512",
        0x0403 => "ecdsa_secp256r1_sha256",
        0x0503 => "ecdsa_secp384r1_sha384",
        0x0603 => "ecdsa_secp521r1_sha512",
        0x0804 => "rsa_pss_rsae_sha256",
        0x0805 => "rsa_pss_rsae_sha384",
        0x0806 => "rsa_pss_rsae_sha512",
        0x0807 => "ed25519",
        0x0808 => "ed448",
        0x0809 => "rsa_pss_pss_sha256",
        0x080a => "rsa_pss_pss_sha384",
        0x080b => "rsa_pss_pss_sha512",
        0x0201 => "rsa_pkcs1_sha1",
        0x0203 => "ecdsa_sha1",
        _ => $"0x{value:x4}",
    };

    public static string Name(TlsSignatureScheme scheme) => Name((ushort)scheme);
}
