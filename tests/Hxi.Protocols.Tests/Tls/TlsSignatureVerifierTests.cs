using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Tls;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Hxi.Protocols.Tests.Tls;

/// <summary>CertificateVerify schemes against the keys they fit and the ones they don't (RFC 9846 Section 4.4.3).</summary>
public class TlsSignatureVerifierTests
{
    [Fact]
    public void Section4_4_3_Ed25519_VerifiesWithBouncyCastle()
    {
        var (certificate, privateKey) = Ed25519Certificate();
        var content = CertificateVerifyContent.Build(TlsRole.Server, new byte[32]);
        var signature = new byte[64];
        Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Sign(privateKey, content, signature);

        Assert.True(TlsSignatureVerifier.Verify(TlsSignatureScheme.Ed25519, certificate, content, signature));
        signature[0] ^= 1;
        Assert.False(TlsSignatureVerifier.Verify(TlsSignatureScheme.Ed25519, certificate, content, signature));
    }

    [Fact]
    public void Section4_4_3_EcdsaSignatureInP1363Form_DoesNotVerify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        var content = CertificateVerifyContent.Build(TlsRole.Server, new byte[32]);

        Assert.True(TlsSignatureVerifier.Verify(TlsSignatureScheme.EcdsaSecp256r1Sha256, certificate, content, key.SignData(content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        Assert.False(TlsSignatureVerifier.Verify(TlsSignatureScheme.EcdsaSecp256r1Sha256, certificate, content, key.SignData(content, HashAlgorithmName.SHA256)));
    }

    [Fact]
    public void Section4_4_3_SchemeThatDoesNotFitTheKey_IsIllegalParameter()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));

        var wrongCurve = Assert.Throws<TlsAlertException>(() => { TlsSignatureVerifier.Verify(TlsSignatureScheme.EcdsaSecp384r1Sha384, certificate, [1], [2]); });
        var wrongAlgorithm = Assert.Throws<TlsAlertException>(() => { TlsSignatureVerifier.Verify(TlsSignatureScheme.RsaPssRsaeSha256, certificate, [1], [2]); });

        Assert.Equal(TlsAlertDescription.IllegalParameter, wrongCurve.Alert);
        Assert.Equal(TlsAlertDescription.IllegalParameter, wrongAlgorithm.Alert);
    }

    /// <summary>The BCL cannot make Ed25519 certificates, so BouncyCastle signs this one.</summary>
    private static (X509Certificate2 Certificate, byte[] PrivateKey) Ed25519Certificate()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var builder = new X509V3CertificateGenerator();
        var name = new X509Name("CN=ed25519");
        builder.SetSerialNumber(BigInteger.One);
        builder.SetIssuerDN(name);
        builder.SetSubjectDN(name);
        builder.SetNotBefore(DateTime.UnixEpoch);
        builder.SetNotAfter(DateTime.UnixEpoch.AddYears(100));
        builder.SetPublicKey(pair.Public);
        var certificate = builder.Generate(new Asn1SignatureFactory("Ed25519", pair.Private));
        return (X509CertificateLoader.LoadCertificate(certificate.GetEncoded()), ((Ed25519PrivateKeyParameters)pair.Private).GetEncoded());
    }
}
