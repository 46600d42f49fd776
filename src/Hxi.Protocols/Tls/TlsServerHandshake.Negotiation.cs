namespace Hxi.Protocols.Tls;

/// <summary>The server's choices from a ClientHello: version, suite, group, signature scheme, ALPN.</summary>
public sealed partial class TlsServerHandshake
{
    private Offer Negotiate(ClientHello hello)
    {
        if (hello.SupportedVersions is null || !hello.SupportedVersions.Contains(SupportedVersionsExtension.Tls13))
        {
            throw new TlsAlertException(TlsAlertDescription.ProtocolVersion, "the client does not offer TLS 1.3, which QUIC requires");
        }

        // RFC 9001 Section 8.4: no middlebox compatibility mode in QUIC.
        if (hello.LegacySessionId.Length != 0)
        {
            throw TlsAlertException.Illegal("QUIC clients must send an empty legacy_session_id");
        }

        if (hello.CompressionMethods is not [0])
        {
            throw TlsAlertException.Illegal("TLS 1.3 legacy_compression_methods must be exactly [null]");
        }

        var suite = options.CipherSuites.FirstOrDefault(s => hello.CipherSuites.Contains(s));
        if (suite == default)
        {
            throw new TlsAlertException(TlsAlertDescription.HandshakeFailure, $"no common cipher suite in [{string.Join(", ", hello.CipherSuites.Select(TlsCipherSuites.Name))}]");
        }

        var signatureAlgorithms = hello.SignatureAlgorithms
            ?? throw new TlsAlertException(TlsAlertDescription.MissingExtension, "ClientHello lacks signature_algorithms");
        var groups = hello.SupportedGroups
            ?? throw new TlsAlertException(TlsAlertDescription.MissingExtension, "ClientHello lacks supported_groups");
        var shares = hello.KeyShares
            ?? throw new TlsAlertException(TlsAlertDescription.MissingExtension, "ClientHello lacks key_share");
        foreach (var share in shares)
        {
            if (!groups.Contains(share.Group))
            {
                throw TlsAlertException.Illegal($"key share for {TlsNamedGroups.Name(share.Group)}, which is not in supported_groups");
            }
        }

        var group = options.Groups.FirstOrDefault(g => groups.Contains(g));
        if (group == default)
        {
            throw new TlsAlertException(TlsAlertDescription.HandshakeFailure, $"no common group in [{string.Join(", ", groups.Select(TlsNamedGroups.Name))}]");
        }

        if (hello.TransportParameters is null)
        {
            throw new TlsAlertException(TlsAlertDescription.MissingExtension, "ClientHello lacks quic_transport_parameters");
        }

        var scheme = TlsSigner.ChooseScheme(options.Certificate, signatureAlgorithms);
        return new Offer(suite, group, scheme, ChooseAlpn(hello.Alpn));
    }

    private string? ChooseAlpn(IReadOnlyList<string>? offered)
    {
        if (options.ApplicationProtocols.Count == 0)
        {
            return null;
        }

        var common = offered is null ? null : options.ApplicationProtocols.FirstOrDefault(offered.Contains);
        return common ?? throw new TlsAlertException(
            TlsAlertDescription.NoApplicationProtocol,
            $"the client offers [{string.Join(", ", offered ?? [])}], the server speaks [{string.Join(", ", options.ApplicationProtocols)}]");
    }

    private sealed record Offer(TlsCipherSuite Suite, TlsNamedGroup Group, TlsSignatureScheme Scheme, string? Alpn);
}
