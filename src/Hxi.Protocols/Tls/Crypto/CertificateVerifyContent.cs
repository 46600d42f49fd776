using System.Text;

namespace Hxi.Protocols.Tls;

/// <summary>The bytes a CertificateVerify signs (RFC 9846 Section 4.4.3).</summary>
/// <remarks>
/// <code>
///    64 x 0x20 || "TLS 1.3, server CertificateVerify" || 0x00 || Transcript-Hash(Handshake Context, Certificate)
/// </code>
/// The padding clears any attacker-chosen prefix; the context string separates client and server signatures.
/// </remarks>
internal static class CertificateVerifyContent
{
    public static byte[] Build(TlsRole signer, ReadOnlySpan<byte> transcriptHash)
    {
        var context = Encoding.ASCII.GetBytes(signer == TlsRole.Server
            ? "TLS 1.3, server CertificateVerify"
            : "TLS 1.3, client CertificateVerify");
        var content = new byte[64 + context.Length + 1 + transcriptHash.Length];
        content.AsSpan(0, 64).Fill(0x20);
        context.CopyTo(content, 64);
        transcriptHash.CopyTo(content.AsSpan(64 + context.Length + 1));
        return content;
    }
}
