using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Tests.Quic;

public class ChaCha20BlockTests
{
    [Fact]
    public void Rfc8439_2_3_2_BlockFunctionTestVector()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var nonce = Hex.Parse("000000090000004a00000000");
        var block = new byte[64];
        ChaCha20Block.Compute(key, 1, nonce, block);
        Assert.Equal(
            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
            + "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
            Hex.Format(block));
    }

    [Fact]
    public void Rfc8439_2_4_2_KeystreamOfTheEncryptionExample()
    {
        // The first keystream block of the "sunscreen" example (counter 1), XORed with the plaintext's first bytes.
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var nonce = Hex.Parse("000000000000004a00000000");
        var block = new byte[64];
        ChaCha20Block.Compute(key, 1, nonce, block);
        var plaintext = "Ladies and Gentlemen of the class of '99: "u8;
        var ciphertext = new byte[plaintext.Length];
        for (int i = 0; i < plaintext.Length; i++)
        {
            ciphertext[i] = (byte)(plaintext[i] ^ block[i]);
        }

        Assert.StartsWith("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b", Hex.Format(ciphertext));
    }
}
