using System.Security.Cryptography;

namespace Hxi.Protocols.Quic.Protection;

/// <summary>The Retry Integrity Tag of QUIC v1 (RFC 9001 Section 5.8).</summary>
/// <remarks>
/// <code>
/// Retry Pseudo-Packet {
///   ODCID Length (8),
///   Original Destination Connection ID (0..160),
///   ... the Retry packet without its tag ...
/// }
/// </code>
/// AEAD_AES_128_GCM over an empty plaintext with the pseudo-packet as associated data.
/// </remarks>
public static class QuicRetryIntegrity
{
    public const int TagLength = 16;

    private static ReadOnlySpan<byte> Key => [0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a, 0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68, 0xc8, 0x4e];

    private static ReadOnlySpan<byte> Nonce => [0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2, 0x23, 0x98, 0x25, 0xbb];

    /// <summary>Computes the tag for <paramref name="retryWithoutTag"/> answering an Initial sent to <paramref name="originalDestinationConnectionId"/>.</summary>
    public static void ComputeTag(ReadOnlySpan<byte> originalDestinationConnectionId, ReadOnlySpan<byte> retryWithoutTag, Span<byte> tag)
    {
        if (originalDestinationConnectionId.Length > byte.MaxValue)
        {
            throw new ArgumentException("connection ID too long", nameof(originalDestinationConnectionId));
        }

        // Retry packets are rare; a per-call buffer and cipher keep this simple and thread-safe.
        var pseudo = new byte[1 + originalDestinationConnectionId.Length + retryWithoutTag.Length];
        pseudo[0] = (byte)originalDestinationConnectionId.Length;
        originalDestinationConnectionId.CopyTo(pseudo.AsSpan(1));
        retryWithoutTag.CopyTo(pseudo.AsSpan(1 + originalDestinationConnectionId.Length));
        using var aes = new AesGcm(Key, TagLength);
        aes.Encrypt(Nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, tag[..TagLength], pseudo);
    }

    /// <summary>Checks the last 16 bytes of a whole Retry packet; a client discards the packet when this is false.</summary>
    public static bool Verify(ReadOnlySpan<byte> originalDestinationConnectionId, ReadOnlySpan<byte> retryPacket)
    {
        if (retryPacket.Length < TagLength || originalDestinationConnectionId.Length > byte.MaxValue)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[TagLength];
        ComputeTag(originalDestinationConnectionId, retryPacket[..^TagLength], expected);
        return CryptographicOperations.FixedTimeEquals(expected, retryPacket[^TagLength..]);
    }
}
