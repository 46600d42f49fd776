using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Hxi.Protocols.Quic.Protection;

/// <summary>
/// The keys of one direction at one encryption level: AEAD packet protection (RFC 9001 Section 5.3)
/// plus header protection (Section 5.4), with in-place, allocation-free protect and unprotect.
/// </summary>
/// <remarks>
/// Spans in, spans out: the packet is protected or opened where it lies. One instance serves one
/// thread at a time (header protection keeps scratch buffers). A key update (<see cref="NextGeneration"/>)
/// keeps the header protection key, so the new generation shares it and takes over its disposal.
/// </remarks>
public sealed class QuicPacketKeys : IDisposable
{
    private readonly byte[] _secret;
    private readonly byte[] _iv;
    private readonly Aes128Gcm? _aes128Gcm;
    private readonly AesGcm? _aesGcm;
    private readonly ChaCha20Poly1305? _chaCha;
    private bool _ownsHeaderProtection;

    /// <summary>Derives the keys of <paramref name="secret"/> (a TLS traffic secret or an Initial secret).</summary>
    public QuicPacketKeys(QuicCipherSuite suite, ReadOnlySpan<byte> secret)
        : this(suite, secret, null, keyPhase: false, Packets.QuicVersion.Version1)
    {
    }

    /// <summary>Derives the keys of <paramref name="secret"/> with the labels of <paramref name="version"/> (RFC 9369 Section 3.3.2).</summary>
    public QuicPacketKeys(QuicCipherSuite suite, ReadOnlySpan<byte> secret, uint version)
        : this(suite, secret, null, keyPhase: false, version)
    {
    }

    private QuicPacketKeys(QuicCipherSuite suite, ReadOnlySpan<byte> secret, QuicHeaderProtection? sharedHeaderProtection, bool keyPhase, uint version)
    {
        var material = QuicKeyMaterial.Derive(suite, secret, version);
        Version = version;
        CipherSuite = suite;
        KeyPhase = keyPhase;
        _secret = secret.ToArray();
        _iv = material.Iv;
        if (suite == QuicCipherSuite.ChaCha20Poly1305Sha256)
        {
            _chaCha = new ChaCha20Poly1305(material.Key);
        }
        else if (material.Key.Length == Aes128Gcm.KeyLength && Aes128Gcm.IsSupported)
        {
            // AES-128-GCM on the CPU's instructions: no OpenSSL call (and its per-call overhead) per packet.
            _aes128Gcm = new Aes128Gcm(material.Key);
        }
        else
        {
            _aesGcm = new AesGcm(material.Key, QuicCipherSuites.TagLength);
        }

        HeaderProtection = sharedHeaderProtection ?? QuicHeaderProtection.Create(suite, material.HeaderProtectionKey);
        _ownsHeaderProtection = true;
        CryptographicOperations.ZeroMemory(material.Key);
    }

    public QuicCipherSuite CipherSuite { get; }

    /// <summary>The QUIC version whose labels derived these keys (and will derive the next generation).</summary>
    public uint Version { get; }

    /// <summary>The Key Phase bit that goes with this generation of 1-RTT keys (flips on each update).</summary>
    public bool KeyPhase { get; }

    public QuicHeaderProtection HeaderProtection { get; }

    /// <summary>Client and server Initial keys for the client's first Destination Connection ID (RFC 9001 Section 5.2).</summary>
    public static (QuicPacketKeys Client, QuicPacketKeys Server) CreateInitial(ReadOnlySpan<byte> clientDestinationConnectionId, uint version = Packets.QuicVersion.Version1)
    {
        var secrets = QuicInitialSecrets.Derive(clientDestinationConnectionId, version);
        return (new QuicPacketKeys(QuicCipherSuite.Aes128GcmSha256, secrets.ClientSecret, version),
                new QuicPacketKeys(QuicCipherSuite.Aes128GcmSha256, secrets.ServerSecret, version));
    }

    /// <summary>The keys after a key update ("quic ku", RFC 9001 Section 6), sharing this header protection.</summary>
    public QuicPacketKeys NextGeneration()
    {
        var next = new QuicPacketKeys(CipherSuite, QuicKeyMaterial.NextSecret(CipherSuite, _secret, Version), HeaderProtection, !KeyPhase, Version);
        _ownsHeaderProtection = false;
        return next;
    }

    /// <summary>
    /// Protects a packet in place (RFC 9001 Section 5.3 then 5.4). <paramref name="packet"/> holds the header
    /// (its first byte carrying the packet number length, its Length field final) up to and including the
    /// packet number at <paramref name="packetNumberOffset"/>, then <paramref name="payloadLength"/> bytes of
    /// frames, then room for the 16-byte tag. Returns the protected packet's length.
    /// </summary>
    public int Protect(Span<byte> packet, int packetNumberOffset, ulong packetNumber, int payloadLength)
    {
        int headerLength = packetNumberOffset + (packet[0] & 0x03) + 1;
        int total = headerLength + payloadLength + QuicCipherSuites.TagLength;
        if (total < packetNumberOffset + 4 + QuicCipherSuites.SampleLength)
        {
            throw new ArgumentException("payload too short for a header protection sample; pad it (RFC 9001 Section 5.4.2)", nameof(payloadLength));
        }

        if (packet.Length < total)
        {
            throw new ArgumentException("no room for the AEAD tag", nameof(packet));
        }

        var payload = packet.Slice(headerLength, payloadLength);
        Seal(packetNumber, packet[..headerLength], payload, packet.Slice(headerLength + payloadLength, QuicCipherSuites.TagLength));
        HeaderProtection.Apply(packet, packetNumberOffset, removing: false);
        return total;
    }

    /// <summary>
    /// Opens a protected packet in place: removes header protection, recovers the packet number against
    /// <paramref name="largestPacketNumber"/> (null before any packet of the space), and decrypts the payload.
    /// <paramref name="packet"/> must be exactly one packet. False when it is too short to sample or fails
    /// authentication: the RFC's answer is to drop it.
    /// </summary>
    public bool TryUnprotect(Span<byte> packet, int packetNumberOffset, ulong? largestPacketNumber, out QuicUnprotectedPacket result)
    {
        result = default;
        if (!TryRemoveHeaderProtection(packet, packetNumberOffset, out int packetNumberLength, out uint truncated))
        {
            return false;
        }

        ulong packetNumber = Packets.QuicPacketNumber.Decode(largestPacketNumber, truncated, packetNumberLength);
        int headerLength = packetNumberOffset + packetNumberLength;
        if (!TryDecryptPayload(packet, headerLength, packetNumber))
        {
            return false;
        }

        result = new QuicUnprotectedPacket(packet[0], packetNumber, packetNumberLength, headerLength,
            packet.Length - headerLength - QuicCipherSuites.TagLength);
        return true;
    }

    /// <summary>
    /// Removes header protection in place; the first step of <see cref="TryUnprotect"/>, exposed for key
    /// updates, where the Key Phase bit must be read before choosing which keys decrypt the payload.
    /// </summary>
    public bool TryRemoveHeaderProtection(Span<byte> packet, int packetNumberOffset, out int packetNumberLength, out uint truncatedPacketNumber)
    {
        packetNumberLength = 0;
        truncatedPacketNumber = 0;
        if (packetNumberOffset < 1 || packet.Length < packetNumberOffset + 4 + QuicCipherSuites.SampleLength)
        {
            return false;
        }

        HeaderProtection.Apply(packet, packetNumberOffset, removing: true);
        packetNumberLength = (packet[0] & 0x03) + 1;
        for (int i = 0; i < packetNumberLength; i++)
        {
            truncatedPacketNumber = (truncatedPacketNumber << 8) | packet[packetNumberOffset + i];
        }

        return packet.Length >= packetNumberOffset + packetNumberLength + QuicCipherSuites.TagLength;
    }

    /// <summary>Decrypts the payload after <paramref name="headerLength"/> in place; false if authentication fails.</summary>
    public bool TryDecryptPayload(Span<byte> packet, int headerLength, ulong packetNumber)
    {
        int payloadLength = packet.Length - headerLength - QuicCipherSuites.TagLength;
        if (payloadLength < 0)
        {
            return false;
        }

        var payload = packet.Slice(headerLength, payloadLength);
        return TryOpen(packetNumber, packet[..headerLength], payload, packet.Slice(headerLength + payloadLength, QuicCipherSuites.TagLength));
    }

    /// <summary>AEAD-encrypts <paramref name="payload"/> in place with nonce = iv XOR packet number (RFC 9001 Section 5.3).</summary>
    public void Seal(ulong packetNumber, ReadOnlySpan<byte> header, Span<byte> payload, Span<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[QuicCipherSuites.IvLength];
        MakeNonce(packetNumber, nonce);
        if (_aes128Gcm is not null)
        {
            _aes128Gcm.Encrypt(nonce, payload, tag, header);
        }
        else if (_aesGcm is not null)
        {
            _aesGcm.Encrypt(nonce, payload, payload, tag, header);
        }
        else
        {
            _chaCha!.Encrypt(nonce, payload, payload, tag, header);
        }
    }

    /// <summary>AEAD-decrypts <paramref name="payload"/> in place; false when the tag does not verify.</summary>
    public bool TryOpen(ulong packetNumber, ReadOnlySpan<byte> header, Span<byte> payload, ReadOnlySpan<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[QuicCipherSuites.IvLength];
        MakeNonce(packetNumber, nonce);
        if (_aes128Gcm is not null)
        {
            return _aes128Gcm.TryDecrypt(nonce, payload, tag, header);
        }

        try
        {
            if (_aesGcm is not null)
            {
                _aesGcm.Decrypt(nonce, payload, tag, payload, header);
            }
            else
            {
                _chaCha!.Decrypt(nonce, payload, tag, payload, header);
            }

            return true;
        }
        catch (CryptographicException)
        {
            // A forged or corrupted packet: RFC 9001 Section 5.5 says discard it. Only failures pay for the throw.
            return false;
        }
    }

    public void Dispose()
    {
        _aes128Gcm?.Clear();
        _aesGcm?.Dispose();
        _chaCha?.Dispose();
        CryptographicOperations.ZeroMemory(_secret);
        if (_ownsHeaderProtection)
        {
            HeaderProtection.Dispose();
        }
    }

    private void MakeNonce(ulong packetNumber, Span<byte> nonce)
    {
        _iv.CopyTo(nonce);
        ulong tail = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ packetNumber;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], tail);
    }
}

/// <summary>Where the decrypted payload of an opened packet lies, and its recovered header fields.</summary>
public readonly record struct QuicUnprotectedPacket(
    byte FirstByte,
    ulong PacketNumber,
    int PacketNumberLength,
    int PayloadOffset,
    int PayloadLength)
{
    /// <summary>Reserved bits must be zero once protection is gone; otherwise PROTOCOL_VIOLATION (RFC 9000 Section 17.2).</summary>
    public bool ReservedBitsSet => (FirstByte & 0x80) != 0 ? (FirstByte & 0x0c) != 0 : (FirstByte & 0x18) != 0;

    /// <summary>The Key Phase bit of a short header (RFC 9000 Section 17.3.1).</summary>
    public bool KeyPhase => (FirstByte & 0x80) == 0 && (FirstByte & 0x04) != 0;
}
