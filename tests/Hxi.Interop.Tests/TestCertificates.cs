using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Interop.Tests;

/// <summary>One ECDSA P-256 CA and a loopback leaf, made once per test run and written as PEM files for the peers.</summary>
public static class TestCertificates
{
    private static readonly Lazy<CertificateSet> Set = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Directory holding ca.pem, server.pem and server.key.</summary>
    public static string Directory => Set.Value.Directory;

    public static string CaPath => Path.Combine(Directory, "ca.pem");

    public static string ServerCertificatePath => Path.Combine(Directory, "server.pem");

    public static string ServerKeyPath => Path.Combine(Directory, "server.key");

    /// <summary>The CA certificate (public part only), for clients that trust it explicitly.</summary>
    public static X509Certificate2 Ca => Set.Value.Ca;

    /// <summary>A chain policy that trusts only the test CA: validation stays on, as the peers README recommends.</summary>
    public static X509ChainPolicy CreateChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(Ca);
        return policy;
    }

    private static CertificateSet Create()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("hxi-certs-").FullName;
        // The key files must not outlive the run; peers started by fixtures are gone by then.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(directory);

        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(7);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=hxi test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var caWithKey = caRequest.CreateSelfSigned(notBefore, notAfter.AddDays(1));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caWithKey, true, false));
        using var leaf = leafRequest.Create(caWithKey, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(Path.Combine(directory, "ca.pem"), caWithKey.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(directory, "server.pem"), leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(directory, "server.key"), leafKey.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(directory, "server.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new CertificateSet(directory, X509CertificateLoader.LoadCertificate(caWithKey.RawData));
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort at process exit: a leftover temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record CertificateSet(string Directory, X509Certificate2 Ca);
}
