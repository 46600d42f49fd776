using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Protocols.Tls;

/// <summary>Chain validation and host name matching for the server's Certificate message (RFC 9846 Section 4.4.2.4).</summary>
internal static class TlsCertificateValidator
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>Parses the DER entries; anything unparsable is bad_certificate.</summary>
    public static IReadOnlyList<X509Certificate2> Load(CertificateMessage message)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var entry in message.Entries)
        {
            try
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(entry.Data));
            }
            catch (CryptographicException ex)
            {
                throw new TlsAlertException(TlsAlertDescription.BadCertificate, $"certificate {certificates.Count} does not parse: {ex.Message}");
            }
        }

        return certificates;
    }

    /// <summary>Throws the alert a browser would: certificate_expired, unknown_ca, bad_certificate, each with the reason in words.</summary>
    public static void Validate(IReadOnlyList<X509Certificate2> chain, string? hostName, X509Certificate2Collection? customRoots, DateTimeOffset now)
    {
        var leaf = chain[0];
        using var builder = new X509Chain();
        var policy = builder.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;

        // The core does no network I/O: AIA fetching of missing intermediates stays off.
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.ApplicationPolicy.Add(new Oid(ServerAuthOid));
        for (var i = 1; i < chain.Count; i++)
        {
            policy.ExtraStore.Add(chain[i]);
        }

        if (customRoots is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(customRoots);
        }

        if (!builder.Build(leaf))
        {
            var flags = builder.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
            if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
            {
                throw new TlsAlertException(
                    TlsAlertDescription.CertificateExpired,
                    $"certificate '{leaf.Subject}' is valid from {leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u}, not at {now.UtcDateTime:u}");
            }

            if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain))
            {
                throw new TlsAlertException(
                    TlsAlertDescription.UnknownCa,
                    $"certificate '{leaf.Subject}' issued by '{leaf.Issuer}' does not chain to a trusted root; use --cacert FILE to trust its CA or -k to skip verification");
            }

            var reasons = string.Join("; ", builder.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
            throw new TlsAlertException(TlsAlertDescription.BadCertificate, $"certificate '{leaf.Subject}' is not acceptable: {reasons}");
        }

        if (hostName is not null && !leaf.MatchesHostname(hostName))
        {
            throw new TlsAlertException(
                TlsAlertDescription.BadCertificate,
                $"certificate name mismatch: '{hostName}' is not among [{string.Join(", ", Names(leaf))}]");
        }
    }

    private static IEnumerable<string> Names(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                foreach (var name in san.EnumerateDnsNames())
                {
                    yield return name;
                }

                foreach (var address in san.EnumerateIPAddresses())
                {
                    yield return address.ToString();
                }
            }
        }
    }
}
