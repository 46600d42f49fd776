using System.Security.Cryptography;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Tests.Quic;

/// <summary>The AES-NI block encryptor behind header protection agrees with FIPS 197 and with the platform's AES-ECB.</summary>
public class Aes128BlockEncryptorTests
{
    [Fact]
    public void Fips197_AppendixC1_Aes128()
    {
        if (!Aes128BlockEncryptor.IsSupported)
        {
            return; // no AES instructions on this CPU: header protection uses the platform's AES there
        }

        var encryptor = new Aes128BlockEncryptor(Hex.Parse("000102030405060708090a0b0c0d0e0f"));
        var output = new byte[16];
        encryptor.EncryptBlock(Hex.Parse("00112233445566778899aabbccddeeff"), output);
        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Hex.Format(output));
    }

    [Fact]
    public void AgreesWithPlatformAesEcb_OnRandomKeysAndBlocks()
    {
        if (!Aes128BlockEncryptor.IsSupported)
        {
            return; // no AES instructions on this CPU: header protection uses the platform's AES there
        }

        var random = new Random(12);
        var key = new byte[16];
        var block = new byte[16];
        var output = new byte[16];
        for (var i = 0; i < 200; i++)
        {
            random.NextBytes(key);
            random.NextBytes(block);
            using var aes = Aes.Create();
            aes.Key = key;
            new Aes128BlockEncryptor(key).EncryptBlock(block, output);
            Assert.Equal(Hex.Format(aes.EncryptEcb(block, PaddingMode.None)), Hex.Format(output));
        }
    }
}
