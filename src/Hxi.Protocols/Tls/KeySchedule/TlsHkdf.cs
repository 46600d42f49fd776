using System.Security.Cryptography;
using System.Text;

namespace Hxi.Protocols.Tls;

/// <summary>HKDF with TLS 1.3's labels (RFC 9846 Section 7.1); QUIC uses it too for "quic key", "quic iv", "quic hp".</summary>
/// <remarks>
/// <code>
///    HKDF-Expand-Label(Secret, Label, Context, Length) =
///         HKDF-Expand(Secret, HkdfLabel, Length)
///
///    struct {
///        uint16 length = Length;
///        opaque label&lt;7..255&gt; = "tls13 " + Label;
///        opaque context&lt;0..255&gt; = Context;
///    } HkdfLabel;
///
///    Derive-Secret(Secret, Label, Messages) =
///         HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
/// </code>
/// </remarks>
public static class TlsHkdf
{
    public static byte[] Extract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> inputKeyingMaterial)
    {
        var prk = new byte[HashLength(hash)];
        HKDF.Extract(hash, inputKeyingMaterial, salt, prk);
        return prk;
    }

    public static byte[] ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, int length)
    {
        var output = new byte[length];
        HKDF.Expand(hash, secret, output, HkdfLabel(label, context, length));
        return output;
    }

    /// <summary>Derive-Secret, given the transcript hash rather than the messages.</summary>
    public static byte[] DeriveSecret(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash) =>
        ExpandLabel(hash, secret, label, transcriptHash, HashLength(hash));

    /// <summary>The HkdfLabel structure, exposed because RFC 8448 prints it as "info".</summary>
    public static byte[] HkdfLabel(string label, ReadOnlySpan<byte> context, int length)
    {
        var writer = new TlsWriter();
        writer.WriteUInt16((ushort)length);
        writer.WriteVector8(Encoding.ASCII.GetBytes("tls13 " + label));
        writer.WriteVector8(context);
        return writer.ToArray();
    }

    public static int HashLength(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA384 ? 48 : 32;

    public static byte[] Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data) =>
        hash == HashAlgorithmName.SHA384 ? SHA384.HashData(data) : SHA256.HashData(data);

    public static byte[] Hmac(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) =>
        hash == HashAlgorithmName.SHA384 ? HMACSHA384.HashData(key, data) : HMACSHA256.HashData(key, data);
}
