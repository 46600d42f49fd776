using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Protocols.Tls;

/// <summary>Signs the server's CertificateVerify with the certificate's private key (ECDSA P-256/P-384 or RSA-PSS).</summary>
internal static class TlsSigner
{
    /// <summary>The scheme this certificate's key signs with, if the peer offered it; otherwise handshake_failure.</summary>
    public static TlsSignatureScheme ChooseScheme(X509Certificate2 certificate, IReadOnlyList<TlsSignatureScheme> offered)
    {
        TlsSignatureScheme[] candidates;
        using (var ecdsa = certificate.GetECDsaPublicKey())
        using (var rsa = certificate.GetRSAPublicKey())
        {
            candidates = ecdsa?.KeySize switch
            {
                256 => [TlsSignatureScheme.EcdsaSecp256r1Sha256],
                384 => [TlsSignatureScheme.EcdsaSecp384r1Sha384],
                _ when rsa is not null => [TlsSignatureScheme.RsaPssRsaeSha256, TlsSignatureScheme.RsaPssRsaeSha384, TlsSignatureScheme.RsaPssRsaeSha512],
                _ => [],
            };
        }

        foreach (var candidate in candidates)
        {
            if (offered.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new TlsAlertException(TlsAlertDescription.HandshakeFailure, "the client offers no signature scheme that fits the server's key");
    }

    public static byte[] Sign(X509Certificate2 certificate, TlsSignatureScheme scheme, byte[] content)
    {
        switch (scheme)
        {
            case TlsSignatureScheme.EcdsaSecp256r1Sha256:
            case TlsSignatureScheme.EcdsaSecp384r1Sha384:
                {
                    using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the server certificate has no ECDSA private key");
                    var hash = scheme == TlsSignatureScheme.EcdsaSecp256r1Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;
                    return key.SignData(content, hash, DSASignatureFormat.Rfc3279DerSequence);
                }

            default:
                {
                    using var key = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("the server certificate has no RSA private key");
                    var hash = scheme switch
                    {
                        TlsSignatureScheme.RsaPssRsaeSha384 => HashAlgorithmName.SHA384,
                        TlsSignatureScheme.RsaPssRsaeSha512 => HashAlgorithmName.SHA512,
                        _ => HashAlgorithmName.SHA256,
                    };
                    return key.SignData(content, hash, RSASignaturePadding.Pss);
                }
        }
    }
}
