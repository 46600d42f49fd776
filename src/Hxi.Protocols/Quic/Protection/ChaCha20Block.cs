using System.Buffers.Binary;
using System.Numerics;

namespace Hxi.Protocols.Quic.Protection;

/// <summary>The ChaCha20 block function of RFC 8439 Section 2.3, for ChaCha20 header protection.</summary>
/// <remarks>The BCL offers ChaCha20-Poly1305 but not the raw keystream that RFC 9001 Section 5.4.4 needs.</remarks>
public static class ChaCha20Block
{
    public const int KeyLength = 32;
    public const int NonceLength = 12;
    public const int BlockLength = 64;

    /// <summary>Writes the 64-byte keystream block for (key, counter, nonce) into <paramref name="output"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> key, uint counter, ReadOnlySpan<byte> nonce, Span<byte> output)
    {
        if (key.Length != KeyLength || nonce.Length != NonceLength || output.Length < BlockLength)
        {
            throw new ArgumentException("ChaCha20 needs a 32-byte key, a 12-byte nonce and a 64-byte output");
        }

        Span<uint> initial = stackalloc uint[16];
        initial[0] = 0x61707865;
        initial[1] = 0x3320646e;
        initial[2] = 0x79622d32;
        initial[3] = 0x6b206574;
        for (int i = 0; i < 8; i++)
        {
            initial[4 + i] = BinaryPrimitives.ReadUInt32LittleEndian(key[(4 * i)..]);
        }

        initial[12] = counter;
        for (int i = 0; i < 3; i++)
        {
            initial[13 + i] = BinaryPrimitives.ReadUInt32LittleEndian(nonce[(4 * i)..]);
        }

        Span<uint> state = stackalloc uint[16];
        initial.CopyTo(state);
        for (int round = 0; round < 10; round++)
        {
            QuarterRound(state, 0, 4, 8, 12);
            QuarterRound(state, 1, 5, 9, 13);
            QuarterRound(state, 2, 6, 10, 14);
            QuarterRound(state, 3, 7, 11, 15);
            QuarterRound(state, 0, 5, 10, 15);
            QuarterRound(state, 1, 6, 11, 12);
            QuarterRound(state, 2, 7, 8, 13);
            QuarterRound(state, 3, 4, 9, 14);
        }

        for (int i = 0; i < 16; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output[(4 * i)..], state[i] + initial[i]);
        }
    }

    private static void QuarterRound(Span<uint> s, int a, int b, int c, int d)
    {
        s[a] += s[b];
        s[d] = BitOperations.RotateLeft(s[d] ^ s[a], 16);
        s[c] += s[d];
        s[b] = BitOperations.RotateLeft(s[b] ^ s[c], 12);
        s[a] += s[b];
        s[d] = BitOperations.RotateLeft(s[d] ^ s[a], 8);
        s[c] += s[d];
        s[b] = BitOperations.RotateLeft(s[b] ^ s[c], 7);
    }
}
