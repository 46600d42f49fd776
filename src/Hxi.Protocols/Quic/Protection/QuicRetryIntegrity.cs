using System.Security.Cryptography;

namespace Hxi.Protocols.Quic.Protection;

/// <summary>The Retry Integrity Tag of QUIC v1 (RFC 9001 Section 5.8) and v2 (RFC 9369 Section 3.3.3).</summary>
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

    // QUIC v2's own key and nonce (RFC 9369 Section 3.3.3).
    private static ReadOnlySpan<byte> Version2Key => [0x8f, 0xb4, 0xb0, 0x1b, 0x56, 0xac, 0x48, 0xe2, 0x60, 0xfb, 0xcb, 0xce, 0xad, 0x7c, 0xcc, 0x92];

    private static ReadOnlySpan<byte> Version2Nonce => [0xd8, 0x69, 0x69, 0xbc, 0x2d, 0x7c, 0x6d, 0x99, 0x90, 0xef, 0xb0, 0x4a];

    /// <summary>Computes the tag for <paramref name="retryWithoutTag"/> answering an Initial sent to <paramref name="originalDestinationConnectionId"/>.</summary>
    public static void ComputeTag(ReadOnlySpan<byte> originalDestinationConnectionId, ReadOnlySpan<byte> retryWithoutTag, Span<byte> tag, uint version = Packets.QuicVersion.Version1)
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
        var v2 = version == Packets.QuicVersion.Version2;
        using var aes = new AesGcm(v2 ? Version2Key : Key, TagLength);
        aes.Encrypt(v2 ? Version2Nonce : Nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, tag[..TagLength], pseudo);
    }

    /// <summary>Checks the last 16 bytes of a whole Retry packet; a client discards the packet when this is false.</summary>
    /// <remarks>The key and nonce follow the packet's own Version field (RFC 9369 Section 3.3.3).</remarks>
    public static bool Verify(ReadOnlySpan<byte> originalDestinationConnectionId, ReadOnlySpan<byte> retryPacket)
    {
        if (retryPacket.Length < TagLength || originalDestinationConnectionId.Length > byte.MaxValue)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[TagLength];
        var version = retryPacket.Length >= 5 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(retryPacket[1..]) : Packets.QuicVersion.Version1;
        ComputeTag(originalDestinationConnectionId, retryPacket[..^TagLength], expected, version);
        return CryptographicOperations.FixedTimeEquals(expected, retryPacket[^TagLength..]);
    }
}
