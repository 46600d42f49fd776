using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Hxi.Protocols.Tls;

/// <summary>Checks a CertificateVerify signature with the leaf certificate's public key.</summary>
internal static class TlsSignatureVerifier
{
    private const string Ed25519Oid = "1.3.101.112";
    private const string RsaOid = "1.2.840.113549.1.1.1";

    /// <summary>True when the signature is good; a scheme that does not fit the key is illegal_parameter.</summary>
    public static bool Verify(TlsSignatureScheme scheme, X509Certificate2 leaf, byte[] content, byte[] signature)
    {
        try
        {
            return scheme switch
            {
                TlsSignatureScheme.EcdsaSecp256r1Sha256 => VerifyEcdsa(leaf, ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256, content, signature),
                TlsSignatureScheme.EcdsaSecp384r1Sha384 => VerifyEcdsa(leaf, ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384, content, signature),
                TlsSignatureScheme.RsaPssRsaeSha256 => VerifyRsaPss(leaf, HashAlgorithmName.SHA256, content, signature),
                TlsSignatureScheme.RsaPssRsaeSha384 => VerifyRsaPss(leaf, HashAlgorithmName.SHA384, content, signature),
                TlsSignatureScheme.RsaPssRsaeSha512 => VerifyRsaPss(leaf, HashAlgorithmName.SHA512, content, signature),
                TlsSignatureScheme.Ed25519 => VerifyEd25519(leaf, content, signature),
                _ => throw TlsAlertException.Illegal($"CertificateVerify uses {TlsSignatureSchemes.Name((ushort)scheme)}, which was not offered"),
            };
        }
        catch (CryptographicException)
        {
            // A garbled DER signature or key surfaces as an exception rather than false.
            return false;
        }
    }

    private static bool VerifyEcdsa(X509Certificate2 leaf, ECCurve curve, HashAlgorithmName hash, byte[] content, byte[] signature)
    {
        using var key = leaf.GetECDsaPublicKey() ?? throw KeyMismatch(leaf, "ECDSA");
        var parameters = key.ExportParameters(false);
        if (parameters.Curve.Oid.Value != curve.Oid.Value)
        {
            throw KeyMismatch(leaf, $"ECDSA on {curve.Oid.FriendlyName}");
        }

        // TLS carries ECDSA signatures as DER; the BCL's default P1363 format would quietly return false.
        return key.VerifyData(content, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static bool VerifyRsaPss(X509Certificate2 leaf, HashAlgorithmName hash, byte[] content, byte[] signature)
    {
        // rsa_pss_rsae_* means a key with the rsaEncryption OID, which is what GetRSAPublicKey returns.
        if (leaf.PublicKey.Oid.Value != RsaOid)
        {
            throw KeyMismatch(leaf, "RSA (rsaEncryption)");
        }

        using var key = leaf.GetRSAPublicKey() ?? throw KeyMismatch(leaf, "RSA");
        return key.VerifyData(content, signature, hash, RSASignaturePadding.Pss);
    }

    private static bool VerifyEd25519(X509Certificate2 leaf, byte[] content, byte[] signature)
    {
        if (leaf.PublicKey.Oid.Value != Ed25519Oid)
        {
            throw KeyMismatch(leaf, "Ed25519");
        }

        var publicKey = leaf.PublicKey.EncodedKeyValue.RawData;
        return publicKey.Length == Ed25519.PublicKeySize
            && signature.Length == Ed25519.SignatureSize
            && Ed25519.Verify(signature, publicKey, content);
    }

    private static TlsAlertException KeyMismatch(X509Certificate2 leaf, string expected) =>
        TlsAlertException.Illegal($"CertificateVerify needs an {expected} key but the certificate holds {leaf.PublicKey.Oid.FriendlyName ?? leaf.PublicKey.Oid.Value}");
}
