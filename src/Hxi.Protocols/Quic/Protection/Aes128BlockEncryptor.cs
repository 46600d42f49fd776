using System.Runtime.Intrinsics;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;
using X86Sse2 = System.Runtime.Intrinsics.X86.Sse2;

namespace Hxi.Protocols.Quic.Protection;

/// <summary>
/// AES-128 encryption of single 16-byte blocks with the x86 AES instructions (FIPS 197): what header protection
/// needs once per packet (RFC 9001 Section 5.4.3), without a call into OpenSSL and its per-call error-queue work.
/// </summary>
/// <remarks>Only where <see cref="IsSupported"/>; elsewhere <see cref="AesHeaderProtection"/> uses the platform's AES-ECB.</remarks>
internal sealed class Aes128BlockEncryptor
{
    public const int KeyLength = 16;

    private readonly Vector128<byte>[] _roundKeys = new Vector128<byte>[11];

    public Aes128BlockEncryptor(ReadOnlySpan<byte> key)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("the AES instructions are not available");
        }

        if (key.Length != KeyLength)
        {
            throw new ArgumentException("AES-128 takes a 16-byte key", nameof(key));
        }

        // The key schedule of FIPS 197 Section 5.2; AESKEYGENASSIST needs its round constant as an immediate.
        var roundKey = Vector128.Create(key);
        _roundKeys[0] = roundKey;
        _roundKeys[1] = roundKey = NextRoundKey(roundKey, X86Aes.KeygenAssist(roundKey, 0x01));
        _roundKeys[2] = roundKey = NextRoundKey(roundKey, X86Aes.KeygenAssist(roundKey, 0x02));
        _roundKeys[3] = roundKey = NextRoundKey(roundKey, X86Aes.KeygenAssist(roundKey, 0x04));
        _roundKeys[4] = roundKey = NextRoundKey(roundKey, X86Aes.KeygenAssist(roundKey, 0x08));
        _roundKeys[5] = roundKey = NextRoundKey(roundKey, X86Aes.KeygenAssist(roundKey, 0x10));
        _roundKeys[6] = roundKey = NextRoundKey(roundKey, X86Aes.KeygenAssist(roundKey, 0x20));
        _roundKeys[7] = roundKey = NextRoundKey(roundKey, X86Aes.KeygenAssist(roundKey, 0x40));
        _roundKeys[8] = roundKey = NextRoundKey(roundKey, X86Aes.KeygenAssist(roundKey, 0x80));
        _roundKeys[9] = roundKey = NextRoundKey(roundKey, X86Aes.KeygenAssist(roundKey, 0x1b));
        _roundKeys[10] = NextRoundKey(roundKey, X86Aes.KeygenAssist(roundKey, 0x36));
    }

    public static bool IsSupported => X86Aes.IsSupported && X86Sse2.IsSupported;

    /// <summary>The eleven round keys of the schedule (shared with <see cref="Aes128Gcm"/>'s counter mode, not copied).</summary>
    internal Vector128<byte>[] RoundKeys => _roundKeys;

    /// <summary>Encrypts the 16 bytes of <paramref name="input"/> into the first 16 bytes of <paramref name="output"/>.</summary>
    public void EncryptBlock(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var keys = _roundKeys;
        var state = X86Sse2.Xor(Vector128.Create(input), keys[0]);
        for (var round = 1; round < 10; round++)
        {
            state = X86Aes.Encrypt(state, keys[round]);
        }

        X86Aes.EncryptLast(state, keys[10]).CopyTo(output);
    }

    public void Clear() => Array.Clear(_roundKeys);

    private static Vector128<byte> NextRoundKey(Vector128<byte> key, Vector128<byte> assist)
    {
        // Each word is the XOR of all the words before it and the rotated, substituted last word of the previous key.
        var last = X86Sse2.Shuffle(assist.AsInt32(), 0xff).AsByte();
        key = X86Sse2.Xor(key, X86Sse2.ShiftLeftLogical128BitLane(key, 4));
        key = X86Sse2.Xor(key, X86Sse2.ShiftLeftLogical128BitLane(key, 4));
        key = X86Sse2.Xor(key, X86Sse2.ShiftLeftLogical128BitLane(key, 4));
        return X86Sse2.Xor(key, last);
    }
}
