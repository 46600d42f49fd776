using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;
using X86Pclmulqdq = System.Runtime.Intrinsics.X86.Pclmulqdq;
using X86Sse2 = System.Runtime.Intrinsics.X86.Sse2;
using X86Ssse3 = System.Runtime.Intrinsics.X86.Ssse3;

namespace Hxi.Protocols.Quic.Protection;

/// <summary>
/// AES-128-GCM (NIST SP 800-38D) with a 12-byte nonce and a 16-byte tag, in place, with the x86 AES and carry-less
/// multiply instructions: the AEAD of every QUIC packet under TLS_AES_128_GCM_SHA256 (RFC 9001 Section 5.3).
/// </summary>
/// <remarks>
/// .NET's <see cref="AesGcm"/> calls into OpenSSL five or six times per message, and each call clears OpenSSL's error
/// queue and looks up context parameters: for a 1,400-byte packet that overhead costs more than the cipher (perf on a
/// 100 MB HTTP/3 download: <c>ERR_clear_error</c>, <c>CRYPTO_free</c> and <c>strcmp</c> together about 15% of the
/// process). Here one pass over the data does both halves, 128 bytes at a time: eight counter blocks through AES and
/// the GHASH of the same eight ciphertext blocks, which depend on each other only through memory, so the AES and
/// carry-less multiply units work side by side. GHASH folds the eight blocks with the precomputed powers H..H^8 and
/// one reduction (the aggregated reduction of Gueron and Kounavis, "Intel Carry-Less Multiplication Instruction and
/// its Usage for Computing the GCM Mode", 2014, in the bit-reflected domain: blocks are byte-reversed and each product
/// is shifted left by one before reduction modulo x^128 + x^7 + x^2 + x + 1).
/// Only where <see cref="IsSupported"/>; <see cref="QuicPacketKeys"/> uses <see cref="AesGcm"/> elsewhere.
/// One instance serves one thread at a time.
/// </remarks>
internal sealed class Aes128Gcm
{
    public const int KeyLength = 16;
    public const int NonceLength = 12;
    public const int TagLength = 16;

    private const int BlockSize = 16;
    private const int StrideBlocks = 8; // blocks per pass of the combined loop: what fills the AES unit's pipeline
    private const int Stride = StrideBlocks * BlockSize;

    private readonly Vector128<byte>[] _roundKeys;
    private readonly Vector128<ulong>[] _hashKeyPowers = new Vector128<ulong>[StrideBlocks]; // H..H^8, byte-reversed

    public Aes128Gcm(ReadOnlySpan<byte> key)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("the AES and carry-less multiply instructions are not available");
        }

        var block = new Aes128BlockEncryptor(key);
        _roundKeys = block.RoundKeys;
        var h = Reflect(EncryptBlock(Vector128<byte>.Zero));
        _hashKeyPowers[0] = h;
        for (var i = 1; i < _hashKeyPowers.Length; i++)
        {
            _hashKeyPowers[i] = Multiply(_hashKeyPowers[i - 1], h);
        }
    }

    public static bool IsSupported => Aes128BlockEncryptor.IsSupported && X86Pclmulqdq.IsSupported && X86Ssse3.IsSupported;

    // PSHUFB control that reverses the 16 bytes: GHASH's bit order is the reverse of the instruction's.
    private static Vector128<byte> ByteReverse => Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);

    /// <summary>Encrypts <paramref name="data"/> in place and writes the tag over <paramref name="aad"/> and the ciphertext.</summary>
    public void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        CheckSizes(nonce, tag);
        var hash = Crypt(nonce, data, Absorb(Vector128<ulong>.Zero, aad), encrypting: true);
        Tag(nonce, hash, aad.Length, data.Length).CopyTo(tag);
    }

    /// <summary>
    /// Verifies the tag and, only when it verifies, decrypts <paramref name="data"/> in place; false (data untouched)
    /// when it does not.
    /// </summary>
    public bool TryDecrypt(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        CheckSizes(nonce, tag);
        var hash = Crypt(nonce, data, Absorb(Vector128<ulong>.Zero, aad), encrypting: false);
        // One XOR and one all-zero test of the whole tag: no early exit on the first differing byte (a timing oracle).
        var difference = X86Sse2.Xor(Tag(nonce, hash, aad.Length, data.Length), Vector128.Create(tag));
        if (difference != Vector128<byte>.Zero)
        {
            // Counter mode is its own inverse: the same key stream once more gives the ciphertext back, so a packet
            // that fails here (a forgery, or a trial with the wrong keys) is left as it came.
            ApplyKeyStream(FirstDataCounter(nonce), data);
            return false;
        }

        return true;
    }

    public void Clear()
    {
        Array.Clear(_roundKeys);
        Array.Clear(_hashKeyPowers);
    }

    internal static Vector128<ulong> Reflect(Vector128<byte> block) => X86Ssse3.Shuffle(block, ByteReverse).AsUInt64();

    /// <summary>One GHASH multiplication of two byte-reversed field elements, reduced.</summary>
    internal static Vector128<ulong> Multiply(Vector128<ulong> a, Vector128<ulong> b)
    {
        var low = Vector128<ulong>.Zero;
        var middle = Vector128<ulong>.Zero;
        var high = Vector128<ulong>.Zero;
        MultiplyAccumulate(a, b, ref low, ref middle, ref high);
        return Reduce(low, middle, high);
    }

    private static void CheckSizes(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> tag)
    {
        if (nonce.Length != NonceLength)
        {
            throw new ArgumentException("AES-GCM here takes a 12-byte nonce", nameof(nonce));
        }

        if (tag.Length != TagLength)
        {
            throw new ArgumentException("AES-GCM here takes a 16-byte tag", nameof(tag));
        }
    }

    // The nonce || counter block (SP 800-38D Section 7.1) held byte-reversed, so that the big-endian 32-bit counter is
    // lane 0 in little-endian and the next blocks are one vector add away (inc32 wraps in its 32 bits, as PADDD does).
    // The block is put together in registers: written to memory in pieces and read back whole, it stalled on a
    // store-to-load forward, per block and then per packet.
    private static Vector128<uint> ReversedCounterBlock(ReadOnlySpan<byte> nonce, uint counter, Vector128<byte> reverse)
    {
        var low = BinaryPrimitives.ReadUInt64LittleEndian(nonce);
        var high = BinaryPrimitives.ReadUInt32LittleEndian(nonce[8..]) | ((ulong)BinaryPrimitives.ReverseEndianness(counter) << 32);
        return X86Ssse3.Shuffle(Vector128.Create(low, high).AsByte(), reverse).AsUInt32();
    }

    /// <summary>The 1 to 15 bytes of <paramref name="input"/> zero-padded to a block, read without a trip through memory.</summary>
    private static Vector128<byte> LoadPartialBlock(ReadOnlySpan<byte> input)
    {
        return input.Length >= 8
            ? Vector128.Create(BinaryPrimitives.ReadUInt64LittleEndian(input), ReadUpTo7(input[8..])).AsByte()
            : Vector128.Create(ReadUpTo7(input), 0UL).AsByte();

        static ulong ReadUpTo7(ReadOnlySpan<byte> bytes)
        {
            ulong value = 0;
            var at = 0;
            if ((bytes.Length & 4) != 0)
            {
                value = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
                at = 4;
            }

            if ((bytes.Length & 2) != 0)
            {
                value |= (ulong)BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]) << (8 * at);
                at += 2;
            }

            if ((bytes.Length & 1) != 0)
            {
                value |= (ulong)bytes[at] << (8 * at);
            }

            return value;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> CounterBlock(Vector128<uint> reversed, uint add, Vector128<byte> reverse) =>
        X86Ssse3.Shuffle(X86Sse2.Add(reversed, Vector128.CreateScalar(add)).AsByte(), reverse);

    private Vector128<byte> EncryptBlock(Vector128<byte> block)
    {
        var keys = _roundKeys;
        var state = X86Sse2.Xor(block, keys[0]);
        for (var round = 1; round < 10; round++)
        {
            state = X86Aes.Encrypt(state, keys[round]);
        }

        return X86Aes.EncryptLast(state, keys[10]);
    }

    // The data's key stream starts at counter 2: counter 1 masks the tag.
    private static Vector128<uint> FirstDataCounter(ReadOnlySpan<byte> nonce) => ReversedCounterBlock(nonce, 2, ByteReverse);

    /// <summary>
    /// Encrypts or decrypts <paramref name="data"/> in place and folds its ciphertext into <paramref name="hash"/>:
    /// the ciphertext is read before it is overwritten when decrypting, and after it is written when encrypting.
    /// </summary>
    private Vector128<ulong> Crypt(ReadOnlySpan<byte> nonce, Span<byte> data, Vector128<ulong> hash, bool encrypting)
    {
        var reverse = ByteReverse;
        var counter = FirstDataCounter(nonce);
        ref byte start = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;
        nuint offset = 0;
        while (length - offset >= Stride)
        {
            if (!encrypting)
            {
                hash = AbsorbStride(hash, ref start, offset);
            }

            XorKeyStreamStride(ref start, offset, counter, reverse);
            if (encrypting)
            {
                hash = AbsorbStride(hash, ref start, offset);
            }

            offset += Stride;
            counter = X86Sse2.Add(counter, Vector128.CreateScalar((uint)StrideBlocks));
        }

        var rest = data[(int)offset..];
        if (!encrypting)
        {
            hash = Absorb(hash, rest);
        }

        ApplyKeyStream(counter, rest);
        return encrypting ? Absorb(hash, rest) : hash;
    }

    /// <summary>XORs the key stream from <paramref name="counter"/> on into <paramref name="data"/>.</summary>
    private void ApplyKeyStream(Vector128<uint> counter, Span<byte> data)
    {
        var reverse = ByteReverse;
        ref byte start = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;
        nuint offset = 0;
        while (length - offset >= Stride)
        {
            XorKeyStreamStride(ref start, offset, counter, reverse);
            offset += Stride;
            counter = X86Sse2.Add(counter, Vector128.CreateScalar((uint)StrideBlocks));
        }

        while (length - offset >= BlockSize)
        {
            XorInto(ref start, offset, EncryptBlock(CounterBlock(counter, 0, reverse)));
            offset += BlockSize;
            counter = X86Sse2.Add(counter, Vector128.CreateScalar(1u));
        }

        if (offset < length)
        {
            var tail = data[(int)offset..];
            var keyStream = EncryptBlock(CounterBlock(counter, 0, reverse));
            Span<byte> block = stackalloc byte[BlockSize];
            X86Sse2.Xor(LoadPartialBlock(tail), keyStream).CopyTo(block);
            block[..tail.Length].CopyTo(tail);
        }
    }

    /// <summary>XORs the key stream of the eight counter blocks from <paramref name="counter"/> into the stride at <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void XorKeyStreamStride(ref byte start, nuint offset, Vector128<uint> counter, Vector128<byte> reverse)
    {
        // Eight blocks in flight: AESENC's latency is hidden behind the other seven.
        var k = _roundKeys;
        var k0 = k[0];
        var k10 = k[10];
        var b0 = X86Sse2.Xor(CounterBlock(counter, 0, reverse), k0);
        var b1 = X86Sse2.Xor(CounterBlock(counter, 1, reverse), k0);
        var b2 = X86Sse2.Xor(CounterBlock(counter, 2, reverse), k0);
        var b3 = X86Sse2.Xor(CounterBlock(counter, 3, reverse), k0);
        var b4 = X86Sse2.Xor(CounterBlock(counter, 4, reverse), k0);
        var b5 = X86Sse2.Xor(CounterBlock(counter, 5, reverse), k0);
        var b6 = X86Sse2.Xor(CounterBlock(counter, 6, reverse), k0);
        var b7 = X86Sse2.Xor(CounterBlock(counter, 7, reverse), k0);
        for (var round = 1; round < 10; round++)
        {
            var roundKey = k[round];
            b0 = X86Aes.Encrypt(b0, roundKey);
            b1 = X86Aes.Encrypt(b1, roundKey);
            b2 = X86Aes.Encrypt(b2, roundKey);
            b3 = X86Aes.Encrypt(b3, roundKey);
            b4 = X86Aes.Encrypt(b4, roundKey);
            b5 = X86Aes.Encrypt(b5, roundKey);
            b6 = X86Aes.Encrypt(b6, roundKey);
            b7 = X86Aes.Encrypt(b7, roundKey);
        }

        XorInto(ref start, offset, X86Aes.EncryptLast(b0, k10));
        XorInto(ref start, offset + 16, X86Aes.EncryptLast(b1, k10));
        XorInto(ref start, offset + 32, X86Aes.EncryptLast(b2, k10));
        XorInto(ref start, offset + 48, X86Aes.EncryptLast(b3, k10));
        XorInto(ref start, offset + 64, X86Aes.EncryptLast(b4, k10));
        XorInto(ref start, offset + 80, X86Aes.EncryptLast(b5, k10));
        XorInto(ref start, offset + 96, X86Aes.EncryptLast(b6, k10));
        XorInto(ref start, offset + 112, X86Aes.EncryptLast(b7, k10));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void XorInto(ref byte start, nuint offset, Vector128<byte> keyStream) =>
        X86Sse2.Xor(Vector128.LoadUnsafe(ref start, offset), keyStream).StoreUnsafe(ref start, offset);

    /// <summary>The tag: the running GHASH closed with the bit lengths, masked with E(K, nonce || 1).</summary>
    private Vector128<byte> Tag(ReadOnlySpan<byte> nonce, Vector128<ulong> hash, int aadLength, int dataLength)
    {
        var lengths = Vector128.Create((ulong)dataLength * 8, (ulong)aadLength * 8);
        hash = Multiply(X86Sse2.Xor(hash, lengths), _hashKeyPowers[0]);
        var reverse = ByteReverse;
        var mask = EncryptBlock(CounterBlock(ReversedCounterBlock(nonce, 1, reverse), 0, reverse));
        return X86Sse2.Xor(X86Ssse3.Shuffle(hash.AsByte(), reverse), mask);
    }

    /// <summary>Folds the eight blocks at <paramref name="offset"/> into the running hash with one reduction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<ulong> AbsorbStride(Vector128<ulong> hash, ref byte start, nuint offset)
    {
        // (Y ^ X1)·H^8 ^ X2·H^7 ^ ... ^ X8·H: the products are summed unreduced, and reduced once.
        var reverse = ByteReverse;
        var powers = _hashKeyPowers;
        var low = Vector128<ulong>.Zero;
        var middle = Vector128<ulong>.Zero;
        var high = Vector128<ulong>.Zero;
        // Written out, the highest power read first so that the other reads need no bounds check: the loop form kept a
        // bounds check and an index computation per block.
        MultiplyAccumulate(X86Sse2.Xor(hash, LoadReflected(ref start, offset, reverse)), powers[7], ref low, ref middle, ref high);
        MultiplyAccumulate(LoadReflected(ref start, offset + 16, reverse), powers[6], ref low, ref middle, ref high);
        MultiplyAccumulate(LoadReflected(ref start, offset + 32, reverse), powers[5], ref low, ref middle, ref high);
        MultiplyAccumulate(LoadReflected(ref start, offset + 48, reverse), powers[4], ref low, ref middle, ref high);
        MultiplyAccumulate(LoadReflected(ref start, offset + 64, reverse), powers[3], ref low, ref middle, ref high);
        MultiplyAccumulate(LoadReflected(ref start, offset + 80, reverse), powers[2], ref low, ref middle, ref high);
        MultiplyAccumulate(LoadReflected(ref start, offset + 96, reverse), powers[1], ref low, ref middle, ref high);
        MultiplyAccumulate(LoadReflected(ref start, offset + 112, reverse), powers[0], ref low, ref middle, ref high);
        return Reduce(low, middle, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> LoadReflected(ref byte start, nuint offset, Vector128<byte> reverse) =>
        X86Ssse3.Shuffle(Vector128.LoadUnsafe(ref start, offset), reverse).AsUInt64();

    /// <summary>Folds <paramref name="input"/> into the running hash, the last partial block zero-padded.</summary>
    private Vector128<ulong> Absorb(Vector128<ulong> hash, ReadOnlySpan<byte> input)
    {
        var reverse = ByteReverse;
        ref byte start = ref MemoryMarshal.GetReference(input);
        nuint length = (nuint)input.Length;
        nuint offset = 0;
        var powers = _hashKeyPowers;
        var h1 = powers[0];
        var h2 = powers[1];
        var h3 = powers[2];
        var h4 = powers[3];
        while (length - offset >= 4 * BlockSize)
        {
            // (Y ^ X1)·H^4 ^ X2·H^3 ^ X3·H^2 ^ X4·H, one reduction for the four products.
            var x1 = X86Sse2.Xor(hash, X86Ssse3.Shuffle(Vector128.LoadUnsafe(ref start, offset), reverse).AsUInt64());
            var x2 = X86Ssse3.Shuffle(Vector128.LoadUnsafe(ref start, offset + 16), reverse).AsUInt64();
            var x3 = X86Ssse3.Shuffle(Vector128.LoadUnsafe(ref start, offset + 32), reverse).AsUInt64();
            var x4 = X86Ssse3.Shuffle(Vector128.LoadUnsafe(ref start, offset + 48), reverse).AsUInt64();
            var low = X86Sse2.Xor(
                X86Sse2.Xor(X86Pclmulqdq.CarrylessMultiply(x1, h4, 0x00), X86Pclmulqdq.CarrylessMultiply(x2, h3, 0x00)),
                X86Sse2.Xor(X86Pclmulqdq.CarrylessMultiply(x3, h2, 0x00), X86Pclmulqdq.CarrylessMultiply(x4, h1, 0x00)));
            var high = X86Sse2.Xor(
                X86Sse2.Xor(X86Pclmulqdq.CarrylessMultiply(x1, h4, 0x11), X86Pclmulqdq.CarrylessMultiply(x2, h3, 0x11)),
                X86Sse2.Xor(X86Pclmulqdq.CarrylessMultiply(x3, h2, 0x11), X86Pclmulqdq.CarrylessMultiply(x4, h1, 0x11)));
            var middle = X86Sse2.Xor(
                X86Sse2.Xor(
                    X86Sse2.Xor(X86Pclmulqdq.CarrylessMultiply(x1, h4, 0x01), X86Pclmulqdq.CarrylessMultiply(x1, h4, 0x10)),
                    X86Sse2.Xor(X86Pclmulqdq.CarrylessMultiply(x2, h3, 0x01), X86Pclmulqdq.CarrylessMultiply(x2, h3, 0x10))),
                X86Sse2.Xor(
                    X86Sse2.Xor(X86Pclmulqdq.CarrylessMultiply(x3, h2, 0x01), X86Pclmulqdq.CarrylessMultiply(x3, h2, 0x10)),
                    X86Sse2.Xor(X86Pclmulqdq.CarrylessMultiply(x4, h1, 0x01), X86Pclmulqdq.CarrylessMultiply(x4, h1, 0x10))));
            hash = Reduce(low, middle, high);
            offset += 4 * BlockSize;
        }

        while (length - offset >= BlockSize)
        {
            hash = Multiply(X86Sse2.Xor(hash, X86Ssse3.Shuffle(Vector128.LoadUnsafe(ref start, offset), reverse).AsUInt64()), h1);
            offset += BlockSize;
        }

        if (offset < length)
        {
            hash = Multiply(X86Sse2.Xor(hash, Reflect(LoadPartialBlock(input[(int)offset..]))), h1);
        }

        return hash;
    }

    // The 256-bit carry-less product of a and b, accumulated as its low, middle (cross terms) and high 128 bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAccumulate(Vector128<ulong> a, Vector128<ulong> b, ref Vector128<ulong> low, ref Vector128<ulong> middle, ref Vector128<ulong> high)
    {
        low = X86Sse2.Xor(low, X86Pclmulqdq.CarrylessMultiply(a, b, 0x00));
        high = X86Sse2.Xor(high, X86Pclmulqdq.CarrylessMultiply(a, b, 0x11));
        middle = X86Sse2.Xor(middle, X86Sse2.Xor(X86Pclmulqdq.CarrylessMultiply(a, b, 0x10), X86Pclmulqdq.CarrylessMultiply(a, b, 0x01)));
    }

    // Shifts the 256-bit product left by one (the bit reflection) and reduces it modulo x^128 + x^7 + x^2 + x + 1.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Reduce(Vector128<ulong> low, Vector128<ulong> middle, Vector128<ulong> high)
    {
        var lo = X86Sse2.Xor(low, X86Sse2.ShiftLeftLogical128BitLane(middle, 8)).AsUInt32();
        var hi = X86Sse2.Xor(high, X86Sse2.ShiftRightLogical128BitLane(middle, 8)).AsUInt32();

        var carryLow = X86Sse2.ShiftRightLogical(lo, 31);
        var carryHigh = X86Sse2.ShiftRightLogical(hi, 31);
        lo = X86Sse2.ShiftLeftLogical(lo, 1);
        hi = X86Sse2.ShiftLeftLogical(hi, 1);
        var carryAcross = X86Sse2.ShiftRightLogical128BitLane(carryLow, 12);
        carryHigh = X86Sse2.ShiftLeftLogical128BitLane(carryHigh, 4);
        carryLow = X86Sse2.ShiftLeftLogical128BitLane(carryLow, 4);
        lo = X86Sse2.Or(lo, carryLow);
        hi = X86Sse2.Or(X86Sse2.Or(hi, carryHigh), carryAcross);

        var a = X86Sse2.ShiftLeftLogical(lo, 31);
        var b = X86Sse2.ShiftLeftLogical(lo, 30);
        var c = X86Sse2.ShiftLeftLogical(lo, 25);
        a = X86Sse2.Xor(X86Sse2.Xor(a, b), c);
        var spill = X86Sse2.ShiftRightLogical128BitLane(a, 4);
        a = X86Sse2.ShiftLeftLogical128BitLane(a, 12);
        lo = X86Sse2.Xor(lo, a);

        var d = X86Sse2.ShiftRightLogical(lo, 1);
        var e = X86Sse2.ShiftRightLogical(lo, 2);
        var f = X86Sse2.ShiftRightLogical(lo, 7);
        d = X86Sse2.Xor(X86Sse2.Xor(X86Sse2.Xor(d, e), f), spill);
        lo = X86Sse2.Xor(lo, d);
        return X86Sse2.Xor(hi, lo).AsUInt64();
    }
}
