using System.Security.Cryptography;
using System.Text;

namespace Hxi.Protocols.Quic.Protection;

/// <summary>HKDF-Expand-Label of TLS 1.3 (RFC 8446 Section 7.1) as QUIC uses it, always with an empty context.</summary>
/// <remarks>The TLS layer has its own copy; QUIC keeps this one so packet protection stands alone.</remarks>
internal static class QuicHkdf
{
    private static readonly byte[] Prefix = "tls13 "u8.ToArray();

    public static byte[] ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, int length)
    {
        var output = new byte[length];
        ExpandLabel(hash, secret, label, output);
        return output;
    }

    public static void ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, Span<byte> output)
    {
        // struct { uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255>; } HkdfLabel;
        int labelLength = Prefix.Length + Encoding.ASCII.GetByteCount(label);
        Span<byte> info = stackalloc byte[2 + 1 + labelLength + 1];
        info[0] = (byte)(output.Length >> 8);
        info[1] = (byte)output.Length;
        info[2] = (byte)labelLength;
        Prefix.CopyTo(info[3..]);
        Encoding.ASCII.GetBytes(label, info[(3 + Prefix.Length)..]);
        info[^1] = 0;
        HKDF.Expand(hash, secret, output, info);
    }
}
