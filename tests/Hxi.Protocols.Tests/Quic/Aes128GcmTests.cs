using System.Security.Cryptography;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Tests.Quic;

/// <summary>The AES-NI and PCLMULQDQ AES-128-GCM behind 1-RTT packet protection agrees with SP 800-38D's vectors and with the platform's AesGcm.</summary>
public class Aes128GcmTests
{
    [Fact]
    public void GcmSpec_TestCase4_WithAadAndPartialLastBlock()
    {
        if (!Aes128Gcm.IsSupported)
        {
            return; // no AES or carry-less multiply instructions: packet protection uses the platform's AesGcm there
        }

        // McGrew and Viega, "The Galois/Counter Mode of Operation", Appendix B, Test Case 4.
        var gcm = new Aes128Gcm(Hex.Parse("feffe9928665731c6d6a8f9467308308"));
        var data = Hex.Parse("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        var tag = new byte[16];
        gcm.Encrypt(Hex.Parse("cafebabefacedbaddecaf888"), data, tag, Hex.Parse("feedfacedeadbeeffeedfacedeadbeefabaddad2"));
        Assert.Equal("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091", Hex.Format(data));
        Assert.Equal("5bc94fbc3221a5db94fae95ae7121a47", Hex.Format(tag));
    }

    [Fact]
    public void AgreesWithPlatformAesGcm_OnRandomInputs_BothWays()
    {
        if (!Aes128Gcm.IsSupported)
        {
            return; // no AES or carry-less multiply instructions: packet protection uses the platform's AesGcm there
        }

        var random = new Random(1301);
        var key = new byte[16];
        var nonce = new byte[12];
        // Every length around the 16-byte block, the 64-byte GHASH stride and the 128-byte counter stride, and packet sizes.
        int[] lengths = [.. Enumerable.Range(0, 300), 1000, 1200, 1350, 1452, 4096 + 7, 65_000];
        foreach (var length in lengths)
        {
            random.NextBytes(key);
            random.NextBytes(nonce);
            var aad = new byte[random.Next(0, 80)];
            random.NextBytes(aad);
            var plaintext = new byte[length];
            random.NextBytes(plaintext);

            using var platform = new AesGcm(key, 16);
            var expected = new byte[length];
            var expectedTag = new byte[16];
            platform.Encrypt(nonce, plaintext, expected, expectedTag, aad);

            var gcm = new Aes128Gcm(key);
            var data = (byte[])plaintext.Clone();
            var tag = new byte[16];
            gcm.Encrypt(nonce, data, tag, aad);
            Assert.Equal(Hex.Format(expected), Hex.Format(data));
            Assert.Equal(Hex.Format(expectedTag), Hex.Format(tag));

            Assert.True(gcm.TryDecrypt(nonce, data, tag, aad), $"length {length}");
            Assert.Equal(Hex.Format(plaintext), Hex.Format(data));
        }
    }

    [Fact]
    public void TryDecrypt_RefusesAnyChangedByte_AndLeavesTheCiphertextAsItWas()
    {
        if (!Aes128Gcm.IsSupported)
        {
            return; // no AES or carry-less multiply instructions: packet protection uses the platform's AesGcm there
        }

        var random = new Random(9001);
        var key = new byte[16];
        var nonce = new byte[12];
        random.NextBytes(key);
        random.NextBytes(nonce);
        var aad = new byte[21];
        random.NextBytes(aad);
        var data = new byte[133];
        random.NextBytes(data);
        var gcm = new Aes128Gcm(key);
        var tag = new byte[16];
        gcm.Encrypt(nonce, data, tag, aad);
        var ciphertext = (byte[])data.Clone();

        for (var i = 0; i < data.Length + aad.Length + tag.Length + nonce.Length; i++)
        {
            byte[] d = (byte[])ciphertext.Clone(), a = (byte[])aad.Clone(), t = (byte[])tag.Clone(), n = (byte[])nonce.Clone();
            var target = i < d.Length ? d : i < d.Length + a.Length ? a : i < d.Length + a.Length + t.Length ? t : n;
            int at = i < d.Length ? i : i < d.Length + a.Length ? i - d.Length : i < d.Length + a.Length + t.Length ? i - d.Length - a.Length : i - d.Length - a.Length - t.Length;
            target[at] ^= (byte)(1 << (i % 8));
            var before = (byte[])d.Clone();
            Assert.False(gcm.TryDecrypt(n, d, t, a), $"byte {i}");
            Assert.Equal(before, d);
        }
    }
}
