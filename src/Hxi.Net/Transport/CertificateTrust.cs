using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Net.Transport;

/// <summary>Trust decisions and the words that explain them.</summary>
public static class CertificateTrust
{
    /// <summary>A chain policy that trusts exactly the CA certificates in a PEM file (--cacert).</summary>
    public static X509ChainPolicy CustomRootPolicy(string pemPath)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(pemPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new Client.HxiException(Client.FailureKind.Usage, $"--cacert {pemPath}: {ex.Message}", ex);
        }

        if (roots.Count == 0)
        {
            throw new Client.HxiException(Client.FailureKind.Usage, $"--cacert {pemPath}: no PEM certificate in the file");
        }

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    /// <summary>One line naming why a certificate was refused: untrusted, expired, hostname mismatch.</summary>
    public static string? Describe(SslPolicyErrors errors, X509Certificate? certificate, X509Chain? chain, string host)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            reasons.Add("the server sent no certificate");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            var names = certificate is X509Certificate2 c ? string.Join(", ", SubjectAlternativeNames(c)) : "?";
            reasons.Add($"certificate name mismatch: '{host}' is not among [{names}]");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && chain is not null)
        {
            foreach (var status in chain.ChainStatus)
            {
                reasons.Add(status.Status switch
                {
                    X509ChainStatusFlags.NotTimeValid => $"certificate expired or not yet valid ({certificate?.GetEffectiveDateString()} to {certificate?.GetExpirationDateString()})",
                    X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain =>
                        $"certificate is not trusted (issuer '{certificate?.Issuer}'); use --cacert FILE to trust its CA or -k to skip verification",
                    _ => $"{status.Status}: {status.StatusInformation.Trim()}",
                });
            }
        }

        return string.Join("; ", reasons.Distinct());
    }

    public static IReadOnlyList<string> SubjectAlternativeNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
                names.AddRange(san.EnumerateIPAddresses().Select(ip => ip.ToString()));
            }
        }

        return names;
    }
}
