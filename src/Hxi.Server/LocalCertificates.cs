using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Server;

/// <summary>
/// A local CA and the localhost certificate it signed, written as PEM files. The CA (ca.pem, ca.key) is kept and
/// reused from the folder while it has a year left, so a user who trusted it once keeps trusting the server; the
/// server certificate is issued afresh at every start.
/// </summary>
internal sealed record LocalCertificates(X509Certificate2 Authority, X509Certificate2 Server, string AuthorityPath)
{
    public const string AuthorityFileName = "ca.pem";
    public const string ServerFileName = "server.pem";
    public const string ServerKeyFileName = "server.key";
    public const string AuthorityKeyFileName = "ca.key";

    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    private static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3 * 365);
    private static readonly TimeSpan AuthorityReuseMargin = TimeSpan.FromDays(365);

    public static LocalCertificates Create(string directory, IPAddress boundAddress)
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = notBefore + Lifetime;

        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var authorityPath = Path.Combine(directory, AuthorityFileName);
        using var authority = LoadAuthority(directory) ?? CreateAuthority(directory, notBefore);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        serverRequest.CertificateExtensions.Add(SubjectAlternativeNames(boundAddress));
        serverRequest.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(serverRequest.PublicKey, false));
        serverRequest.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        using var signed = serverRequest.Create(authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        using var serverWithKey = signed.CopyWithPrivateKey(serverKey);

        File.WriteAllText(Path.Combine(directory, ServerFileName), signed.ExportCertificatePem() + "\n");
        WritePrivateKey(Path.Combine(directory, ServerKeyFileName), serverKey.ExportPkcs8PrivateKeyPem() + "\n");

        // SslStream cannot always use an ephemeral (never persisted) key, notably on Windows;
        // a PKCS#12 round trip gives the certificate a key handle every platform accepts.
        var server = X509CertificateLoader.LoadPkcs12(serverWithKey.Export(X509ContentType.Pkcs12), null);
        var publicAuthority = X509CertificateLoader.LoadCertificate(authority.RawData);
        return new LocalCertificates(publicAuthority, server, authorityPath);
    }

    /// <summary>The CA kept in <paramref name="directory"/>, when it is whole, has its key, and a year to run.</summary>
    private static X509Certificate2? LoadAuthority(string directory)
    {
        var certificatePath = Path.Combine(directory, AuthorityFileName);
        var keyPath = Path.Combine(directory, AuthorityKeyFileName);
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return null;
        }

        try
        {
            var authority = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (authority.HasPrivateKey && authority.NotAfter.ToUniversalTime() > DateTime.UtcNow + AuthorityReuseMargin)
            {
                return authority;
            }

            authority.Dispose();
        }
        catch (CryptographicException)
        {
            // A damaged or foreign file: a new CA replaces it.
        }

        return null;
    }

    private static X509Certificate2 CreateAuthority(string directory, DateTimeOffset notBefore)
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=hxi local CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        var authority = authorityRequest.CreateSelfSigned(notBefore, notBefore + AuthorityLifetime);
        WritePrivateKey(Path.Combine(directory, AuthorityKeyFileName), authorityKey.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(Path.Combine(directory, AuthorityFileName), authority.ExportCertificatePem() + "\n");
        return authority;
    }

    private static X509Extension SubjectAlternativeNames(IPAddress boundAddress)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        // A server bound to a specific LAN address is reached by that address, so name it too.
        if (!IPAddress.IsLoopback(boundAddress) && !boundAddress.Equals(IPAddress.Any) && !boundAddress.Equals(IPAddress.IPv6Any))
        {
            names.AddIpAddress(boundAddress);
        }

        return names.Build();
    }

    private static void WritePrivateKey(string path, string pem)
    {
        File.WriteAllText(path, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
