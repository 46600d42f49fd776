using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Hxi.Protocols.Quic.Protection;

/// <summary>Header protection (RFC 9001 Section 5.4): masks the packet number and low bits of the first byte.</summary>
/// <remarks>Instances keep scratch state to stay allocation-free, so one instance serves one thread at a time.</remarks>
public abstract class QuicHeaderProtection : IDisposable
{
    public const int MaskLength = 5;

    public static QuicHeaderProtection Create(QuicCipherSuite suite, ReadOnlySpan<byte> headerProtectionKey) =>
        suite == QuicCipherSuite.ChaCha20Poly1305Sha256
            ? new ChaCha20HeaderProtection(headerProtectionKey)
            : new AesHeaderProtection(headerProtectionKey);

    /// <summary>Computes the 5-byte mask from a 16-byte ciphertext sample.</summary>
    public abstract void ComputeMask(ReadOnlySpan<byte> sample, Span<byte> mask);

    /// <summary>
    /// Applies the mask in place (RFC 9001 Section 5.4.1). Protecting and removing are the same XOR,
    /// except that the packet number length must be read before masking and after unmasking.
    /// </summary>
    internal void Apply(Span<byte> packet, int packetNumberOffset, bool removing)
    {
        Span<byte> mask = stackalloc byte[MaskLength];
        ComputeMask(packet.Slice(packetNumberOffset + 4, QuicCipherSuites.SampleLength), mask);
        bool isLong = (packet[0] & 0x80) != 0;
        if (!removing)
        {
            int length = (packet[0] & 0x03) + 1;
            packet[0] ^= (byte)(mask[0] & (isLong ? 0x0f : 0x1f));
            Xor(packet.Slice(packetNumberOffset, length), mask[1..]);
        }
        else
        {
            packet[0] ^= (byte)(mask[0] & (isLong ? 0x0f : 0x1f));
            int length = (packet[0] & 0x03) + 1;
            Xor(packet.Slice(packetNumberOffset, length), mask[1..]);
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private static void Xor(Span<byte> target, ReadOnlySpan<byte> mask)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] ^= mask[i];
        }
    }
}

/// <summary>AES-ECB of the sample (RFC 9001 Section 5.4.3): the x86 AES instructions for AES-128, else one cached transform.</summary>
/// <remarks>
/// <c>Aes.EncryptEcb</c> per packet costs about 900 ns and allocates; a cached transform does neither, but still goes
/// through OpenSSL once per packet (its error queue and context checks cost more than the one block). With AES-NI the
/// block is a few nanoseconds of managed code.
/// </remarks>
public sealed class AesHeaderProtection : QuicHeaderProtection
{
    private readonly Aes128BlockEncryptor? _block;
    private readonly Aes? _aes;
    private readonly ICryptoTransform? _encryptor;
    private readonly byte[] _input = new byte[16];
    private readonly byte[] _output = new byte[16];

    public AesHeaderProtection(ReadOnlySpan<byte> key)
    {
        if (key.Length == Aes128BlockEncryptor.KeyLength && Aes128BlockEncryptor.IsSupported)
        {
            _block = new Aes128BlockEncryptor(key);
            return;
        }

        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _encryptor = _aes.CreateEncryptor();
    }

    public override void ComputeMask(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        if (_block is not null)
        {
            _block.EncryptBlock(sample[..16], _output);
        }
        else
        {
            sample[..16].CopyTo(_input);
            _encryptor!.TransformBlock(_input, 0, 16, _output, 0);
        }

        _output.AsSpan(0, MaskLength).CopyTo(mask);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _block?.Clear();
            _encryptor?.Dispose();
            _aes?.Dispose();
        }
    }
}

/// <summary>ChaCha20 keystream of the sample (RFC 9001 Section 5.4.4): counter = sample[0..4] LE, nonce = sample[4..16].</summary>
public sealed class ChaCha20HeaderProtection : QuicHeaderProtection
{
    private readonly byte[] _key;

    public ChaCha20HeaderProtection(ReadOnlySpan<byte> key)
    {
        if (key.Length != ChaCha20Block.KeyLength)
        {
            throw new ArgumentException("ChaCha20 header protection needs a 32-byte key", nameof(key));
        }

        _key = key.ToArray();
    }

    public override void ComputeMask(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        // Encrypting five zero bytes yields the keystream itself.
        Span<byte> block = stackalloc byte[ChaCha20Block.BlockLength];
        ChaCha20Block.Compute(_key, BinaryPrimitives.ReadUInt32LittleEndian(sample), sample.Slice(4, 12), block);
        block[..MaskLength].CopyTo(mask);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CryptographicOperations.ZeroMemory(_key);
        }
    }
}
