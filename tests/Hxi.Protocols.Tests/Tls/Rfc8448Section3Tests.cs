using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Tests.Tls;

/// <summary>RFC 8448 Section 3, "Simple 1-RTT Handshake": the key schedule byte for byte, and every message decoded.</summary>
public class Rfc8448Section3Tests
{
    private static readonly byte[] ClientPrivateKey = Hex.Parse("70a1a8f491e82d530542c6d7a8dcd8cfa9e31f59bb336b550b13bfe199f542c5");
    private static readonly byte[] ClientPublicKey = Hex.Parse("4cfdfcd178b784bf328cae793b136f2aedce005ff183d7bb1495207236647037");
    private static readonly byte[] ServerPrivateKey = Hex.Parse("5aa93ea18f4c5e4a39856f573af4ec1503bad0d5cdabaffc26c1ab4c361f86c8");
    private static readonly byte[] ServerPublicKey = Hex.Parse("c7bb6bdfc26350b929a08a41a76ddac210b096868d960c4845987dc3a7fa650a");

    private static readonly byte[] ClientHelloBytes = Hex.Parse(
        "010000c003036660261ff947cea49cce6cfad687f457cf1b14531ba14131a0e8f309a1d0b9c400000613011303130201000091000000" +
        "0b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400230000003300260024001d00" +
        "204cfdfcd178b784bf328cae793b136f2aedce005ff183d7bb1495207236647037002b0003020304000d0020001e0403050306030203" +
        "08040805080604010501060102010402050206020202002d00020101001c00024001");

    private static readonly byte[] ServerHelloBytes = Hex.Parse(
        "0200005603031274991495cf425857262dde2299342c315afba9b64a87d552515614e01b045d00130100002e00330024001d0020c7bb" +
        "6bdfc26350b929a08a41a76ddac210b096868d960c4845987dc3a7fa650a002b00020304");

    private static readonly byte[] EncryptedExtensionsBytes = Hex.Parse(
        "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000");

    private static readonly byte[] CertificateBytes = Hex.Parse(
        "0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d01010b0500300e310c300a060355040313" +
        "03727361301e170d3136303733303031323335395a170d3236303733303031323335395a300e310c300a0603550403130372736130819f" +
        "300d06092a864886f70d010101050003818d0030818902818100b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826d3901a" +
        "2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced43120998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a" +
        "5fda430846748030530ef0461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001a31a30" +
        "1830090603551d1304023000300b0603551d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5b9276b908c" +
        "65f73a7267170618a54c5f8a7b337d2df7a594365417f2eae8f8a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e" +
        "67f2dbf102702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402dcc0cc8f8" +
        "961229ac9187b42b4de10000");

    private static readonly byte[] CertificateVerifyBytes = Hex.Parse(
        "0f00008408040080ace0af8e87d7c63cc9dbe7dcc12ff83bd55df0ccda9bf4e5a0f70100d9bc4d25aa684fd9d347642c942222526e16" +
        "3e3b0fba312b10e9b67eb0ac9c2be5fef490f81d7827e3bc12fa027ab439e71cc8459c14b94a8f3506ec44547d6c23e19cc7f9d5e0d1" +
        "f595108fc240f5b0842c485a321487c4950377a52e917294715567cd");

    private static readonly byte[] ServerFinishedBytes = Hex.Parse(
        "140000204c92b1b256d861a1830167827d3e288d1a76f03484e9ec886d4ff66149cbec2f");

    private static readonly byte[] ClientFinishedBytes = Hex.Parse(
        "1400002080a2c0d6cbc21078dba30affbf091929278edc832db4bfa1c811c9e8c67da9bb");

    private static readonly byte[] NewSessionTicketBytes = Hex.Parse(
        "040000c90000001e933d093202000000b2f35edae4e60404d6f40fa17f000000008393d163fb4f5f105fe2056caeb32ac70070700459" +
        "31026db07d58dd58090d629af59ecb7fba353d5d9653a708fbcf0f515c1b82db6b08977179dfc684d22fcf7bd5c12222ab63ffd9d2bc" +
        "46176d144ae98ad93416894822ac5064065f92995a6f052fa3a731703657817ea7a8de73148661768f7f62098fb45c0a9dde04a9cf1a" +
        "a4206f13dd055df3ed5fa681bbf876e362ad9c0a68d2b5266c79aa806cbfe6113b0008002a000400000400");

    [Fact]
    public void Section3_X25519KeyPairsAndSharedSecret()
    {
        var client = new X25519KeyExchange(ClientPrivateKey);
        var server = new X25519KeyExchange(ServerPrivateKey);

        Assert.Equal(ClientPublicKey, client.PublicKey);
        Assert.Equal(ServerPublicKey, server.PublicKey);
        Assert.Equal("1bea3fdfd25f94033804b68997a55d1931dc51124ad7f6e28959bb4672e3bd13", Hex.Format(client.DeriveSharedSecret(ServerPublicKey)));
        Assert.Equal(client.DeriveSharedSecret(ServerPublicKey), server.DeriveSharedSecret(ClientPublicKey));
    }

    [Fact]
    public void Section3_KeySchedule_EarlyHandshakeAndMasterSecrets()
    {
        var keys = Schedule();

        Assert.Equal("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a", Hex.Format(keys.EarlySecret));
        Assert.Equal("f2c66e28ed535dfb8721b7145ca51c8bc058514f79aa881d0d32cbe1341a2e45", Hex.Format(keys.HandshakeSecret));
        Assert.Equal("a12970d9b27a3d59b6ecc1530d284073bd745ddc68d994e7a6ee70881b3d6da6", Hex.Format(keys.MasterSecret));
    }

    [Fact]
    public void Section3_KeySchedule_HandshakeTrafficSecrets()
    {
        var keys = Schedule();
        var helloHash = SHA256.HashData([.. ClientHelloBytes, .. ServerHelloBytes]);

        Assert.Equal("3d35f3eba0aabf5d9661236e3b5bb938fdc32f409cc27c55499e1f0baa3abd8f", Hex.Format(helloHash));
        Assert.Equal("d7c28b57a857e961b5bf3e1d7b18d02757c4f97acb66a23372e5a7f3d0a71e07", Hex.Format(keys.ClientHandshakeTrafficSecret(helloHash)));
        Assert.Equal("3031e9c2c26ecc154bc36826e87feeff8f4547df52596747b2dcabf92b18fb59", Hex.Format(keys.ServerHandshakeTrafficSecret(helloHash)));
    }

    [Fact]
    public void Section3_KeySchedule_ApplicationExporterAndResumptionSecrets()
    {
        var keys = Schedule();
        var serverFinishedHash = SHA256.HashData(ThroughServerFinished());
        var clientFinishedHash = SHA256.HashData([.. ThroughServerFinished(), .. ClientFinishedBytes]);

        Assert.Equal("b285e2e2beb28adf85ce08112f7c4804cb52347a258edfa9c1bf31f7f808e8ce", Hex.Format(serverFinishedHash));
        Assert.Equal("2dca43b0ae13af89e9533d39b65dd25cc22df9e7afcaf082a76895a4da353b50", Hex.Format(keys.ClientApplicationTrafficSecret(serverFinishedHash)));
        Assert.Equal("49033ff303eef5739d1376cb6d27ebd695733f3c3f617e7fc76d02a6fac6277f", Hex.Format(keys.ServerApplicationTrafficSecret(serverFinishedHash)));
        Assert.Equal("319b2e433f189fc5a1d81ea369e3af838cbecb0db8fffd5b9ab205afcdb999d9", Hex.Format(keys.ExporterSecret(serverFinishedHash)));
        Assert.Equal("31a6e1ceae1e798050f53cac68662eededafcf279cab1c1838b935ffcebf4275", Hex.Format(clientFinishedHash));
        Assert.Equal("a34be53b07ab35b8503d7626a7cad4966873ebdea135c4b2e4cd28e4b812ac54", Hex.Format(keys.ResumptionSecret(clientFinishedHash)));
    }

    [Fact]
    public void Section3_FinishedKeysAndVerifyData()
    {
        var keys = Schedule();
        var helloHash = SHA256.HashData([.. ClientHelloBytes, .. ServerHelloBytes]);
        var clientHandshake = keys.ClientHandshakeTrafficSecret(helloHash);
        var serverHandshake = keys.ServerHandshakeTrafficSecret(helloHash);
        var beforeServerFinished = SHA256.HashData([.. ClientHelloBytes, .. ServerHelloBytes, .. EncryptedExtensionsBytes, .. CertificateBytes, .. CertificateVerifyBytes]);

        Assert.Equal("2456e4d4c3cc526cad20c011327277e2b8834df514fa50db921101293cc627a8", Hex.Format(keys.FinishedKey(serverHandshake)));
        Assert.Equal("34e8b781a8643a166bc10ec40c6c239f5d76005b35c6f35ff7f01075c36aaa66", Hex.Format(keys.FinishedKey(clientHandshake)));
        Assert.Equal(ServerFinishedBytes[4..], keys.VerifyData(serverHandshake, beforeServerFinished));
        Assert.Equal(ClientFinishedBytes[4..], keys.VerifyData(clientHandshake, SHA256.HashData(ThroughServerFinished())));
    }

    [Fact]
    public void Section3_HkdfExpandLabel_TrafficKeysAndIvs()
    {
        var serverHandshake = Hex.Parse("3031e9c2c26ecc154bc36826e87feeff8f4547df52596747b2dcabf92b18fb59");
        var clientApplication = Hex.Parse("2dca43b0ae13af89e9533d39b65dd25cc22df9e7afcaf082a76895a4da353b50");
        var sha256 = HashAlgorithmName.SHA256;

        Assert.Equal("001009746c733133206b657900", Hex.Format(TlsHkdf.HkdfLabel("key", [], 16)));
        Assert.Equal("000c08746c7331332069760" + "0", Hex.Format(TlsHkdf.HkdfLabel("iv", [], 12)));
        Assert.Equal("4d15c00e47317fe99c714f8ebd92c4d1", Hex.Format(TlsHkdf.ExpandLabel(sha256, serverHandshake, "key", [], 16)));
        Assert.Equal("18223084735f2f2d8588caaa", Hex.Format(TlsHkdf.ExpandLabel(sha256, serverHandshake, "iv", [], 12)));
        Assert.Equal("d92b3e9a88ea7fe2ed69aa9c8b629e91", Hex.Format(TlsHkdf.ExpandLabel(sha256, clientApplication, "key", [], 16)));
        Assert.Equal("37a828161ead2b6813ad0b13", Hex.Format(TlsHkdf.ExpandLabel(sha256, clientApplication, "iv", [], 12)));
    }

    [Fact]
    public void Section3_HkdfExpandLabel_DerivedAndResumption()
    {
        var early = Hex.Parse("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");
        var emptyHash = SHA256.HashData([]);
        var resumptionMaster = Hex.Parse("a34be53b07ab35b8503d7626a7cad4966873ebdea135c4b2e4cd28e4b812ac54");

        Assert.Equal(
            "00200d746c733133206465726976656420e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            Hex.Format(TlsHkdf.HkdfLabel("derived", emptyHash, 32)));
        Assert.Equal(
            "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba",
            Hex.Format(TlsHkdf.DeriveSecret(HashAlgorithmName.SHA256, early, "derived", emptyHash)));
        Assert.Equal(
            "cae5ce63ca4b2a7333a7cef44351eea4b6a0b6dabfe52e8fa8828c57602b807c",
            Hex.Format(TlsHkdf.ExpandLabel(HashAlgorithmName.SHA256, resumptionMaster, "resumption", [0, 0], 32)));
    }

    [Fact]
    public void Section3_ClientHello_DecodesAndReencodes()
    {
        var hello = Assert.IsType<ClientHello>(Decode(ClientHelloBytes));

        Assert.Equal("server", hello.ServerName);
        Assert.Equal([TlsCipherSuite.Aes128GcmSha256, TlsCipherSuite.ChaCha20Poly1305Sha256, TlsCipherSuite.Aes256GcmSha384], hello.CipherSuites);
        Assert.Equal([TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1, TlsNamedGroup.Secp384r1, TlsNamedGroup.Secp521r1], hello.SupportedGroups!.Take(4));
        Assert.Equal(ClientPublicKey, Assert.Single(hello.KeyShares!).KeyExchange);
        Assert.Equal([(ushort)0x0304], hello.SupportedVersions);
        Assert.Equal(15, hello.SignatureAlgorithms!.Count);
        Assert.Contains(hello.Extensions, e => e.Name == "renegotiation_info");
        Assert.Equal(ClientHelloBytes, hello.Encode());
    }

    [Fact]
    public void Section3_ServerFlight_DecodesAndReencodes()
    {
        var hello = Assert.IsType<ServerHello>(Decode(ServerHelloBytes));
        Assert.Equal(TlsCipherSuite.Aes128GcmSha256, hello.CipherSuite);
        Assert.Equal((ushort)0x0304, hello.SelectedVersion);
        Assert.Equal(ServerPublicKey, hello.KeyShare!.KeyExchange);

        var extensions = Assert.IsType<EncryptedExtensions>(Decode(EncryptedExtensionsBytes));
        Assert.Equal(["supported_groups", "record_size_limit", "server_name"], extensions.Extensions.Select(e => e.Name));

        var certificate = Assert.IsType<CertificateMessage>(Decode(CertificateBytes));
        Assert.Equal("CN=rsa", X509CertificateLoader.LoadCertificate(Assert.Single(certificate.Entries).Data).Subject);

        var verify = Assert.IsType<CertificateVerify>(Decode(CertificateVerifyBytes));
        Assert.Equal(TlsSignatureScheme.RsaPssRsaeSha256, verify.Algorithm);

        var ticket = Assert.IsType<NewSessionTicket>(Decode(NewSessionTicketBytes));
        Assert.Equal(30u, ticket.LifetimeSeconds);
        Assert.Equal(0x400u, ticket.MaxEarlyDataSize);

        foreach (var bytes in new[] { ServerHelloBytes, EncryptedExtensionsBytes, CertificateBytes, CertificateVerifyBytes, ServerFinishedBytes, NewSessionTicketBytes })
        {
            Assert.Equal(bytes, Decode(bytes).Encode());
        }
    }

    [Fact]
    public void Section3_CertificateVerify_RsaPssSignatureVerifies()
    {
        var certificate = Assert.IsType<CertificateMessage>(Decode(CertificateBytes));
        var leaf = X509CertificateLoader.LoadCertificate(certificate.Entries[0].Data);
        var verify = Assert.IsType<CertificateVerify>(Decode(CertificateVerifyBytes));
        var transcriptHash = SHA256.HashData([.. ClientHelloBytes, .. ServerHelloBytes, .. EncryptedExtensionsBytes, .. CertificateBytes]);
        var content = CertificateVerifyContent.Build(TlsRole.Server, transcriptHash);

        Assert.True(TlsSignatureVerifier.Verify(verify.Algorithm, leaf, content, verify.Signature));
        content[^1] ^= 1;
        Assert.False(TlsSignatureVerifier.Verify(verify.Algorithm, leaf, content, verify.Signature));
    }

    [Fact]
    public void Section4_4_3_CertificateVerifyContent_MatchesTheSpecExample()
    {
        var content = CertificateVerifyContent.Build(TlsRole.Server, Enumerable.Repeat((byte)1, 32).ToArray());

        Assert.Equal(
            string.Concat(Enumerable.Repeat("20", 64)) +
            "544c5320312e332c207365727665722043657274696669636174655665726966" + "79" + "00" +
            string.Concat(Enumerable.Repeat("01", 32)),
            Hex.Format(content));
    }

    private static TlsKeySchedule Schedule()
    {
        var keys = new TlsKeySchedule(TlsCipherSuite.Aes128GcmSha256);
        keys.SetSharedSecret(new X25519KeyExchange(ClientPrivateKey).DeriveSharedSecret(ServerPublicKey));
        return keys;
    }

    private static byte[] ThroughServerFinished() =>
        [.. ClientHelloBytes, .. ServerHelloBytes, .. EncryptedExtensionsBytes, .. CertificateBytes, .. CertificateVerifyBytes, .. ServerFinishedBytes];

    private static TlsHandshakeMessage Decode(byte[] message) =>
        TlsHandshakeCodec.Decode((TlsHandshakeType)message[0], message.AsSpan(4));
}
