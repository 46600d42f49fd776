using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Protocols.Tests.Tls;

/// <summary>A throwaway CA and server certificates made with CertificateRequest.</summary>
internal sealed class TlsTestCertificates
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<TlsTestCertificates> Shared = new(() => new TlsTestCertificates("hxi test CA"));

    public TlsTestCertificates(string caName)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Ca = request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(5));
    }

    public static TlsTestCertificates Default => Shared.Value;

    public X509Certificate2 Ca { get; }

    public X509Certificate2Collection Roots => [Ca];

    public X509Certificate2 IssueEcdsa(string host, ECCurve curve, DateTimeOffset? notAfter = null)
    {
        var key = ECDsa.Create(curve);
        var hash = curve.Oid.Value == ECCurve.NamedCurves.nistP384.Oid.Value ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        var cert = Issue(new CertificateRequest($"CN={host}", key, hash), host, notAfter);
        return cert.CopyWithPrivateKey(key);
    }

    public X509Certificate2 IssueRsa(string host)
    {
        var key = RSA.Create(2048);
        var cert = Issue(new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), host, null);
        return cert.CopyWithPrivateKey(key);
    }

    private X509Certificate2 Issue(CertificateRequest request, string host, DateTimeOffset? notAfter)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509AuthorityKeyIdentifierExtension(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false).RawData, false));
        using var caKey = Ca.GetECDsaPrivateKey()!;
        var generator = X509SignatureGenerator.CreateForECDsa(caKey);
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7f;
        return request.Create(Ca.SubjectName, generator, Now.AddDays(-30), notAfter ?? Now.AddDays(90), serial);
    }
}
