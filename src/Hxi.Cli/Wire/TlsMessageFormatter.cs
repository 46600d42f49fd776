using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Tls;

namespace Hxi.Cli.Wire;

/// <summary>TLS 1.3 handshake messages in words: what was offered, what was chosen, who the certificate names.</summary>
public static class TlsMessageFormatter
{
    public static string Title(TlsHandshakeMessage message, int length) => $"TLS {message.Type} <length={length}>";

    public static IEnumerable<string> Details(TlsHandshakeMessage message, QuicRole sender)
    {
        switch (message)
        {
            case ClientHello hello:
                yield return $"server_name: {hello.ServerName ?? "(none)"}";
                yield return $"alpn: {Join(hello.Alpn)}";
                yield return $"cipher_suites: {string.Join(", ", hello.CipherSuites.Select(s => TlsCipherSuites.Name(s)))}";
                yield return $"supported_groups: {Join(hello.SupportedGroups?.Select(g => TlsNamedGroups.Name(g)))}";
                yield return $"key_share: {Join(hello.KeyShares?.Select(k => TlsNamedGroups.Name(k.Group)))}";
                yield return $"signature_algorithms: {Join(hello.SignatureAlgorithms?.Select(s => TlsSignatureSchemes.Name(s)))}";
                yield return $"extensions: {string.Join(", ", hello.Extensions.Select(e => e.Name))}";
                foreach (var line in TransportParameters(hello.TransportParameters, sender))
                {
                    yield return line;
                }

                break;
            case ServerHello server:
                yield return $"cipher_suite: {TlsCipherSuites.Name(server.CipherSuite)}";
                yield return $"key_share: {(server.KeyShare is { } share ? TlsNamedGroups.Name(share.Group) : "(none)")}";
                break;
            case HelloRetryRequest retry:
                yield return $"cipher_suite: {TlsCipherSuites.Name(retry.CipherSuite)}, selected_group: {(retry.SelectedGroup is { } group ? TlsNamedGroups.Name(group) : "(none)")}";
                break;
            case EncryptedExtensions extensions:
                yield return $"alpn: {Join(extensions.Alpn)}";
                yield return $"extensions: {string.Join(", ", extensions.Extensions.Select(e => e.Name))}";
                foreach (var line in TransportParameters(extensions.TransportParameters, sender))
                {
                    yield return line;
                }

                break;
            case CertificateMessage certificates:
                foreach (var entry in certificates.Entries)
                {
                    yield return Certificate(entry.Data);
                }

                break;
            case CertificateVerify verify:
                yield return $"algorithm: {TlsSignatureSchemes.Name(verify.Algorithm)}, signature {verify.Signature.Length} bytes";
                break;
            case Finished finished:
                yield return $"verify_data: {Convert.ToHexStringLower(finished.VerifyData)}";
                break;
            case NewSessionTicket ticket:
                yield return $"lifetime: {ticket.LifetimeSeconds} s, ticket {ticket.Ticket.Length} bytes";
                break;
        }
    }

    private static IEnumerable<string> TransportParameters(byte[]? bytes, QuicRole sender)
    {
        if (bytes is null)
        {
            yield break;
        }

        string[] lines;
        try
        {
            lines = QuicTransportParametersCodec.Decode(bytes, sender).ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (QuicTransportException ex)
        {
            lines = [$"(malformed: {ex.Reason})"];
        }

        yield return "quic_transport_parameters:";
        foreach (var line in lines)
        {
            yield return $"  {line.Trim()}";
        }
    }

    private static string Certificate(byte[] der)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return $"certificate: subject {certificate.Subject}; issuer {certificate.Issuer}; valid {certificate.NotBefore:yyyy-MM-dd} to {certificate.NotAfter:yyyy-MM-dd}";
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            return $"certificate: {der.Length} bytes, not parsable ({ex.Message})";
        }
    }

    private static string Join(IEnumerable<string>? values) => values is null ? "(none)" : string.Join(", ", values);
}
