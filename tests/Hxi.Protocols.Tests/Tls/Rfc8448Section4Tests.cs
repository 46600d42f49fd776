using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Tests.Tls;

/// <summary>RFC 8448 Section 4, "Resumed 0-RTT Handshake": the resumption PSK, the binder over the truncated ClientHello, and the 0-RTT secret.</summary>
public class Rfc8448Section4Tests
{
    /// <summary>"res master" of the Section 3 handshake, which issued the ticket.</summary>
    private static readonly byte[] ResumptionMainSecret = Hex.Parse("a34be53b07ab35b8503d7626a7cad4966873ebdea135c4b2e4cd28e4b812ac54");
    private static readonly byte[] ResumptionPsk = Hex.Parse("cae5ce63ca4b2a7333a7cef44351eea4b6a0b6dabfe52e8fa8828c57602b807c");

    private static readonly byte[] ClientHelloBytes = Hex.Parse(
        "010001fc0303750e184c0c28d365ffab68b74cb202fdb495ad19f527c6e6cebec35b443b9b35000006130113031302010001cd000000" +
        "0b0009000006736572766572ff01000100000a00140012001d00170018001901000101010201030104003300260024001d00205839e3" +
        "2b2b0e47211ff3098d998ed0379a07b299b846585b7fab62c61357d174002a0000002b0003020304000d0020001e0403050306030203" +
        "08040805080604010501060102010402050206020202002d00020101001c000240010015005700000000000000000000000000000000" +
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" +
        "0000000000000000000000000000000000002900dd00b800b2f35edae4e60404d6f40fa17f000000008393d163fb4f5f105fe2056cae" +
        "b32ac7007070045931026db07d58dd58090d629af59ecb7fba353d5d9653a708fbcf0f515c1b82db6b08977179dfc684d22fcf7bd5c1" +
        "2222ab63ffd9d2bc46176d144ae98ad93416894822ac5064065f92995a6f052fa3a731703657817ea7a8de73148661768f7f62098fb4" +
        "5c0a9dde04a9cf1aa4206f13dd055df3ed5fa681bbf876e362ad9c0a68d2b5266c79aa806cbfe6113b933d0937002120718cd8f22e8e" +
        "d71d1a23f7c88f63d45487afe58157cbc57e66bd1323e41a8cd8");

    [Fact]
    public void Section4_ResumptionPsk_FromTheTicketNonce()
    {
        var psk = TlsKeySchedule.ResumptionPsk(TlsCipherSuite.Aes128GcmSha256, ResumptionMainSecret, [0x00, 0x00]);

        Assert.Equal(ResumptionPsk, psk);
    }

    [Fact]
    public void Section4_EarlySecret_AndBinderKey_FromThePsk()
    {
        var keys = new TlsKeySchedule(TlsCipherSuite.Aes128GcmSha256, ResumptionPsk);

        Assert.Equal(Hex.Parse("7926bf246b73dd7cf3aa5a75ec3dc91ae3a234c00565744af51697313a085fff"), keys.EarlySecret);
        Assert.Equal(Hex.Parse("1748d43e9e7001e862d45add841c85fa07bfdc7c68f099ac4f50735dfa29bfbc"), keys.ResumptionBinderKey());
        Assert.Equal(Hex.Parse("99c8c7b09a89cf670164b5710348f9cd51ce53608a6e5ea802e0838d396aed70"), keys.FinishedKey(keys.ResumptionBinderKey()));
    }

    [Fact]
    public void Section4_ClientHello_CarriesTheTicket_AndPreSharedKeyLast()
    {
        var hello = Assert.IsType<ClientHello>(TlsHandshakeCodec.Decode(TlsHandshakeType.ClientHello, ClientHelloBytes.AsSpan(4)));

        var offered = Assert.IsType<TlsOfferedPsks>(hello.PreSharedKey);
        var identity = Assert.Single(offered.Identities);
        Assert.Equal(178, identity.Identity.Length);
        Assert.Equal(0x933d0937u, identity.ObfuscatedTicketAge);
        Assert.Equal(35, offered.BindersLength);
        Assert.True(hello.OffersEarlyData);
        Assert.Equal(new byte[] { PskKeyExchangeModesExtension.PskDheKe }, hello.PskModes!);
        Assert.Equal((ushort)TlsExtensionType.PreSharedKey, hello.Extensions[^1].Type);
        Assert.Equal(ClientHelloBytes, hello.Encode());
    }

    [Fact]
    public void Section4_2_11_2_Binder_IsTheFinishedMacOfTheTruncatedClientHello()
    {
        var truncated = ClientHelloBytes.AsSpan(0, 477);
        Assert.Equal(Hex.Parse("6fd17487908d45ca0bb7d5e5a968f94aa43296b3fd578d0c102540c380a23e68"), TlsHkdf.Hash(System.Security.Cryptography.HashAlgorithmName.SHA256, truncated));

        var binder = TlsClientHandshake.ComputeBinder(TlsCipherSuite.Aes128GcmSha256, ResumptionPsk, TlsHkdf.Hash(System.Security.Cryptography.HashAlgorithmName.SHA256, truncated));

        Assert.Equal(Hex.Parse("718cd8f22e8ed71d1a23f7c88f63d45487afe58157cbc57e66bd1323e41a8cd8"), binder);
        Assert.Equal(binder, ClientHelloBytes.AsSpan(ClientHelloBytes.Length - 32).ToArray());
    }

    [Fact]
    public void Section4_ClientEarlyTrafficSecret_AndItsWriteKey()
    {
        var keys = new TlsKeySchedule(TlsCipherSuite.Aes128GcmSha256, ResumptionPsk);
        var helloHash = TlsHkdf.Hash(System.Security.Cryptography.HashAlgorithmName.SHA256, ClientHelloBytes);
        Assert.Equal(Hex.Parse("d899c67dee77e998f6e881a3b14efe9387b1875dd8638dfbad8df14844e2b766"), helloHash);

        var secret = keys.ClientEarlyTrafficSecret(helloHash);

        Assert.Equal(Hex.Parse("c4196f87b65585b405a6ed59ba9ca31e468ac9b2c79477d449c559a44407197f"), secret);
        Assert.Equal(Hex.Parse("a9d6c91b8adb612268f7724f0b6cdc75"), TlsHkdf.ExpandLabel(System.Security.Cryptography.HashAlgorithmName.SHA256, secret, "key", [], 16));
    }

    [Fact]
    public void Section4_ServerHello_SelectsIdentityZero()
    {
        var bytes = Hex.Parse(
            "0200005c0303f79e0c03e63dcb0fafdc441f79065e0409a2ef2360f3c6549682ffb72395f9d200130100003400290002000000330024" +
            "001d00207abd53026c45bd7be12f6c4db9d226a9b1527a76c825c07722201a314ae90d21002b00020304");

        var hello = Assert.IsType<ServerHello>(TlsHandshakeCodec.Decode(TlsHandshakeType.ServerHello, bytes.AsSpan(4)));

        Assert.Equal((ushort)0, hello.SelectedIdentity);
    }
}
