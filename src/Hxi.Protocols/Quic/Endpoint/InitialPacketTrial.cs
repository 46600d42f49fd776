using System.Buffers.Binary;
using System.Security.Cryptography;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Quic.Endpoint;

/// <summary>
/// Opens a stranger's first Initial with the client Initial keys of its Destination Connection ID (RFC 9001 Section
/// 5.2), without building a connection's keys: the secrets live on the stack, one AES instance computes every header
/// mask, and only the AEAD needs an object per attempt. Anyone can make keys that open an Initial, so this proves only
/// that the sender did that work and meant QUIC version 1; it is what stands between a flood and a connection.
/// </summary>
/// <remarks>
/// What a packet that does not open still costs: the AesGcm context, and the exception the BCL throws on a tag mismatch
/// (it has no non-throwing Decrypt); both are gone when the call returns. Driven by one thread, as the endpoint is.
/// </remarks>
internal sealed class InitialPacketTrial : IDisposable
{
    private const int SecretLength = 32;
    private const int KeyLength = 16;
    private const int IvLength = 12;
    private const int TagLength = 16;
    private const int SampleLength = 16;

    private readonly Aes _headerProtection = Aes.Create();

    /// <summary>
    /// Tries to open the Initial that fills <paramref name="packet"/> (from its first byte to the end of its Length),
    /// in place; <paramref name="destinationConnectionId"/> chooses the keys. False when it is too short or does not
    /// authenticate, and then the packet's bytes are scrambled: the caller keeps the datagram's own copy.
    /// </summary>
    public bool TryOpen(Span<byte> packet, ReadOnlySpan<byte> destinationConnectionId, int packetNumberOffset, uint version = Packets.QuicVersion.Version1)
    {
        if (packet.Length < packetNumberOffset + 4 + SampleLength)
        {
            return false;
        }

        Span<byte> initialSecret = stackalloc byte[SecretLength];
        Span<byte> clientSecret = stackalloc byte[SecretLength];
        Span<byte> headerKey = stackalloc byte[KeyLength];
        var v2 = version == Packets.QuicVersion.Version2;
        HKDF.Extract(HashAlgorithmName.SHA256, destinationConnectionId, v2 ? QuicInitialSecrets.Version2Salt : QuicInitialSecrets.Version1Salt, initialSecret);
        ExpandLabel(initialSecret, "client in"u8, clientSecret);
        ExpandLabel(clientSecret, v2 ? "quicv2 hp"u8 : "quic hp"u8, headerKey);

        // RFC 9001 Section 5.4.3: the mask is AES-ECB of the 16 bytes 4 past the packet number's start.
        Span<byte> mask = stackalloc byte[SampleLength];
        _headerProtection.SetKey(headerKey);
        _headerProtection.EncryptEcb(packet.Slice(packetNumberOffset + 4, SampleLength), mask, PaddingMode.None);
        packet[0] ^= (byte)(mask[0] & 0x0f);
        if ((packet[0] & 0x0c) != 0)
        {
            // RFC 9000 Section 17.2: the reserved bits are 0 in every packet a client sends. Three random packets in four
            // fail here, before the AEAD and its failure (the dearest part). RFC 9001 Section 9.5 warns against dropping
            // after header protection alone because that timing can leak what a connection's keys hide; Initial keys
            // hide nothing, and there is no connection yet.
            return false;
        }

        var packetNumberLength = (packet[0] & 0x03) + 1;
        uint packetNumber = 0;
        for (var i = 0; i < packetNumberLength; i++)
        {
            packet[packetNumberOffset + i] ^= mask[1 + i];
            packetNumber = (packetNumber << 8) | packet[packetNumberOffset + i];
        }

        var headerLength = packetNumberOffset + packetNumberLength;
        var payloadLength = packet.Length - headerLength - TagLength;
        if (payloadLength < 0)
        {
            return false;
        }

        Span<byte> key = stackalloc byte[KeyLength];
        Span<byte> iv = stackalloc byte[IvLength];
        ExpandLabel(clientSecret, v2 ? "quicv2 key"u8 : "quic key"u8, key);
        ExpandLabel(clientSecret, v2 ? "quicv2 iv"u8 : "quic iv"u8, iv);

        // RFC 9001 Section 5.3: nonce = IV XOR the packet number (a first Initial has no earlier one to decode against).
        var tail = BinaryPrimitives.ReadUInt64BigEndian(iv[4..]) ^ packetNumber;
        BinaryPrimitives.WriteUInt64BigEndian(iv[4..], tail);
        using var aead = new AesGcm(key, TagLength);
        CryptographicOperations.ZeroMemory(key);
        var payload = packet.Slice(headerLength, payloadLength);
        try
        {
            aead.Decrypt(iv, payload, packet.Slice(headerLength + payloadLength, TagLength), payload, packet[..headerLength]);
            return true;
        }
        catch (CryptographicException)
        {
            // RFC 9001 Section 5.5: a packet that does not authenticate is discarded.
            return false;
        }
    }

    public void Dispose() => _headerProtection.Dispose();

    /// <summary>HKDF-Expand-Label with an empty context (RFC 9846 Section 7.1), into <paramref name="output"/>.</summary>
    private static void ExpandLabel(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> label, Span<byte> output)
    {
        Span<byte> info = stackalloc byte[2 + 1 + 6 + 16 + 1];
        BinaryPrimitives.WriteUInt16BigEndian(info, (ushort)output.Length);
        info[2] = (byte)(6 + label.Length);
        "tls13 "u8.CopyTo(info[3..]);
        label.CopyTo(info[9..]);
        info[9 + label.Length] = 0;
        HKDF.Expand(HashAlgorithmName.SHA256, secret, output, info[..(10 + label.Length)]);
    }
}
