using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Bench;

/// <summary>
/// QUIC packet protection (RFC 9001 Section 5) on a full-size 1-RTT packet: seal and open in place, and the
/// header protection mask alone, for AES-128-GCM and, where the platform has it, ChaCha20-Poly1305.
/// </summary>
[MemoryDiagnoser]
public class PacketProtectionBenchmarks
{
    private const int PacketNumberOffset = 9; // first byte + an 8-byte connection ID
    private const int PayloadLength = 1_200;

    private QuicPacketKeys _keys = null!;
    private byte[] _plain = null!;
    private byte[] _sealed = null!;
    private byte[] _work = null!;

    [Params(QuicCipherSuite.Aes128GcmSha256, QuicCipherSuite.ChaCha20Poly1305Sha256)]
    public QuicCipherSuite Suite { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (Suite == QuicCipherSuite.ChaCha20Poly1305Sha256 && !ChaCha20Poly1305.IsSupported)
        {
            throw new NotSupportedException("ChaCha20-Poly1305 is not supported on this platform");
        }

        var secret = new byte[QuicCipherSuites.SecretLength(Suite)];
        new Random(7).NextBytes(secret);
        _keys = new QuicPacketKeys(Suite, secret);
        var headerLength = PacketNumberOffset + 4;
        _plain = new byte[headerLength + PayloadLength + QuicCipherSuites.TagLength];
        new Random(8).NextBytes(_plain);
        _plain[0] = 0x43; // short header, 4-byte packet number
        _plain.AsSpan(PacketNumberOffset, 4).Clear();
        _plain[PacketNumberOffset + 3] = 42; // the packet number the header carries, and the nonce's
        _sealed = _plain.ToArray();
        _keys.Protect(_sealed, PacketNumberOffset, 42, PayloadLength);
        _work = new byte[_plain.Length];
        if (!Unprotect())
        {
            throw new InvalidOperationException("the sealed packet does not open");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _keys.Dispose();

    /// <summary>AEAD seal plus header protection, in place.</summary>
    [Benchmark]
    public int Protect()
    {
        _plain.CopyTo(_work, 0);
        return _keys.Protect(_work, PacketNumberOffset, 42, PayloadLength);
    }

    /// <summary>Header protection removal, packet number recovery and AEAD open, in place.</summary>
    [Benchmark]
    public bool Unprotect()
    {
        _sealed.CopyTo(_work, 0);
        return _keys.TryUnprotect(_work, PacketNumberOffset, 41, out _);
    }

    /// <summary>The 5-byte header protection mask from a 16-byte sample (AES-ECB or ChaCha20).</summary>
    [Benchmark]
    public byte HeaderProtectionMask()
    {
        Span<byte> mask = stackalloc byte[QuicHeaderProtection.MaskLength];
        _keys.HeaderProtection.ComputeMask(_sealed.AsSpan(PacketNumberOffset + 4, QuicCipherSuites.SampleLength), mask);
        return mask[0];
    }
}
