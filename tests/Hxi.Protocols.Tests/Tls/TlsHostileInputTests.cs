using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Tests.Tls;

/// <summary>Truncated, garbled, oversized and misplaced input: always a named alert, never another exception.</summary>
public class TlsHostileInputTests
{
    private static readonly byte[] ServerPrivateKey = Hex.Parse("5aa93ea18f4c5e4a39856f573af4ec1503bad0d5cdabaffc26c1ab4c361f86c8");

    public static TheoryData<string> SampleMessages() => new(SampleHandshake().Select(m => Convert.ToHexString(m)));

    [Theory]
    [MemberData(nameof(SampleMessages))]
    public void Section4_EveryTruncation_IsDecodeErrorOrAValidShorterMessage(string hex)
    {
        var message = Convert.FromHexString(hex);
        for (var length = 0; length < message.Length - 4; length++)
        {
            var body = message.AsSpan(4, length).ToArray();
            var error = Record.Exception(() => TlsHandshakeCodec.Decode((TlsHandshakeType)message[0], body));
            if (error is not null)
            {
                Assert.Equal(TlsAlertDescription.DecodeError, Assert.IsType<TlsAlertException>(error).Alert);
            }
        }
    }

    [Theory]
    [MemberData(nameof(SampleMessages))]
    public void Section4_RandomByteFlips_OnlyEverRaiseAlerts(string hex)
    {
        var message = Convert.FromHexString(hex);
        var random = new Random(4);
        for (var round = 0; round < 2000; round++)
        {
            var body = message.AsSpan(4).ToArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            var error = Record.Exception(() => TlsHandshakeCodec.Decode((TlsHandshakeType)message[0], body));
            Assert.True(error is null or TlsAlertException, error?.ToString());
        }
    }

    [Fact]
    public void Section4_2_DuplicateExtension_IsIllegalParameter()
    {
        var extensions = new byte[] { 0x00, 0x08, 0x00, 0x39, 0x00, 0x00, 0x00, 0x39, 0x00, 0x00 };

        var error = Assert.Throws<TlsAlertException>(() => TlsHandshakeCodec.Decode(TlsHandshakeType.EncryptedExtensions, extensions));

        Assert.Equal(TlsAlertDescription.IllegalParameter, error.Alert);
        Assert.Contains("quic_transport_parameters twice", error.Reason);
    }

    [Fact]
    public void Section4_ExtensionLengthPastTheEnd_IsDecodeError()
    {
        var extensions = new byte[] { 0x00, 0x06, 0x00, 0x39, 0x00, 0x10, 0x00, 0x00 };

        var error = Assert.Throws<TlsAlertException>(() => TlsHandshakeCodec.Decode(TlsHandshakeType.EncryptedExtensions, extensions));

        Assert.Equal(TlsAlertDescription.DecodeError, error.Alert);
    }

    [Fact]
    public void Section4_OversizedMessageHeader_IsDecodeErrorBeforeTheBodyArrives()
    {
        var client = StartedClient();

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, [0x02, 0x01, 0x00, 0x01]));

        Assert.Equal(TlsAlertDescription.DecodeError, error.Alert);
        Assert.Contains("65537 bytes", error.Reason);
    }

    [Fact]
    public void Section4_TruncatedServerHello_IsDecodeError()
    {
        var client = StartedClient();
        var hello = ServerHelloFor(client);
        var truncated = hello[..^5];
        truncated[3] = (byte)(truncated.Length - 4);

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, truncated));

        Assert.Equal(TlsAlertDescription.DecodeError, error.Alert);
    }

    [Fact]
    public void Section4_MessageAtTheWrongLevel_IsUnexpectedMessage()
    {
        var client = StartedClient();

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Handshake, ServerHelloFor(client)));

        Assert.Equal(TlsAlertDescription.UnexpectedMessage, error.Alert);
    }

    [Fact]
    public void Section4_MessageOutOfOrder_IsUnexpectedMessage()
    {
        var client = StartedClient();

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, new Finished(new byte[32]).Encode()));

        Assert.Equal(TlsAlertDescription.UnexpectedMessage, error.Alert);
        Assert.Contains("Finished", error.Reason);
    }

    [Fact]
    public void Rfc9001_Section6_KeyUpdateMessage_IsUnexpectedMessage()
    {
        var pair = new TlsPair();
        pair.Run();

        var error = Assert.Throws<TlsAlertException>(() => pair.Client.ReceiveHandshakeBytes(TlsEncryptionLevel.OneRtt, [24, 0, 0, 1, 0]));

        Assert.Equal(TlsAlertDescription.UnexpectedMessage, error.Alert);
    }

    [Fact]
    public void Section4_InitialBytesLeftOverAfterServerHello_AreUnexpectedMessage()
    {
        var client = StartedClient();

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, [.. ServerHelloFor(client), 0x08, 0x00]));

        Assert.Equal(TlsAlertDescription.UnexpectedMessage, error.Alert);
    }

    [Fact]
    public void AfterAnAlert_FurtherInputRaisesTheSameAlert()
    {
        var client = StartedClient();
        var first = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, [0xff, 0, 0, 0]));

        var second = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, ServerHelloFor(client)));

        Assert.Same(first, second);
        Assert.Same(first, client.Failure);
    }

    [Fact]
    public void Section4_1_3_CipherSuiteNotOffered_IsIllegalParameter()
    {
        var client = StartedClient(TlsPair.DefaultClient() with { CipherSuites = [TlsCipherSuite.Aes128GcmSha256] });

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, ServerHelloFor(client, TlsCipherSuite.Aes256GcmSha384)));

        Assert.Equal(TlsAlertDescription.IllegalParameter, error.Alert);
        Assert.Contains("TLS_AES_256_GCM_SHA384", error.Reason);
    }

    [Fact]
    public void Section4_1_3_ServerHelloWithoutSupportedVersions_IsProtocolVersion()
    {
        var client = StartedClient();
        var hello = new ServerHello(0x0303, new byte[32], [], TlsCipherSuite.Aes128GcmSha256, [KeyShare()]).Encode();

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, hello));

        Assert.Equal(TlsAlertDescription.ProtocolVersion, error.Alert);
    }

    [Fact]
    public void Section4_2_8_MalformedKeyShare_IsIllegalParameter()
    {
        var client = StartedClient();
        var badShare = new TlsExtension(TlsExtensionType.KeyShare, [0x00, 0x1d, 0x00, 0x02, 0x01, 0x02]);
        var hello = new ServerHello(0x0303, new byte[32], [], TlsCipherSuite.Aes128GcmSha256, [new TlsExtension(TlsExtensionType.SupportedVersions, [3, 4]), badShare]).Encode();

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, hello));

        Assert.Equal(TlsAlertDescription.IllegalParameter, error.Alert);
    }

    [Fact]
    public void Rfc9001_Section8_2_EncryptedExtensionsWithoutTransportParameters_IsMissingExtension()
    {
        var client = StartedClient();
        client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, ServerHelloFor(client));
        var extensions = new EncryptedExtensions([new TlsExtension(TlsExtensionType.ApplicationLayerProtocolNegotiation, [0, 3, 2, (byte)'h', (byte)'3'])]).Encode();

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Handshake, extensions));

        Assert.Equal(TlsAlertDescription.MissingExtension, error.Alert);
        Assert.Equal(0x16d, error.QuicErrorCode);
    }

    [Fact]
    public void Section4_3_1_EncryptedExtensionsWithAnUnofferedExtension_IsUnsupportedExtension()
    {
        var client = StartedClient();
        client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, ServerHelloFor(client));
        var extensions = new EncryptedExtensions([new TlsExtension(TlsExtensionType.EarlyData, [])]).Encode();

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Handshake, extensions));

        Assert.Equal(TlsAlertDescription.UnsupportedExtension, error.Alert);
    }

    [Fact]
    public void Section4_4_2_EmptyServerCertificate_IsDecodeError()
    {
        var client = StartedClient();
        client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, ServerHelloFor(client));
        client.ReceiveHandshakeBytes(TlsEncryptionLevel.Handshake, new EncryptedExtensions([
            AlpnExtension.Create(["h3"]), new TlsExtension(TlsExtensionType.QuicTransportParameters, [])]).Encode());

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Handshake, new CertificateMessage([], []).Encode()));

        Assert.Equal(TlsAlertDescription.DecodeError, error.Alert);
    }

    [Fact]
    public void Section4_4_2_GarbageCertificate_IsBadCertificate()
    {
        var client = StartedClient();
        client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, ServerHelloFor(client));
        client.ReceiveHandshakeBytes(TlsEncryptionLevel.Handshake, new EncryptedExtensions([
            AlpnExtension.Create(["h3"]), new TlsExtension(TlsExtensionType.QuicTransportParameters, [])]).Encode());
        var certificate = new CertificateMessage([], [new TlsCertificateEntry([0x30, 0x03, 0x02, 0x01, 0x00], [])]).Encode();

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Handshake, certificate));

        Assert.Equal(TlsAlertDescription.BadCertificate, error.Alert);
    }

    [Fact]
    public void Server_ClientHelloWithoutTransportParameters_IsMissingExtension()
    {
        var error = ServerRejects(hello => hello.Where(e => e.Type != (ushort)TlsExtensionType.QuicTransportParameters));

        Assert.Equal(TlsAlertDescription.MissingExtension, error.Alert);
    }

    [Fact]
    public void Server_ClientHelloWithoutTls13_IsProtocolVersion()
    {
        var error = ServerRejects(hello => hello.Where(e => e.Type != (ushort)TlsExtensionType.SupportedVersions));

        Assert.Equal(TlsAlertDescription.ProtocolVersion, error.Alert);
    }

    [Fact]
    public void Server_ClientHelloWithoutSignatureAlgorithms_IsMissingExtension()
    {
        var error = ServerRejects(hello => hello.Where(e => e.Type != (ushort)TlsExtensionType.SignatureAlgorithms));

        Assert.Equal(TlsAlertDescription.MissingExtension, error.Alert);
    }

    [Fact]
    public void Server_NoCommonGroup_IsHandshakeFailure()
    {
        var server = new TlsServerHandshake(TlsPair.DefaultServer() with { Groups = [TlsNamedGroup.Secp256r1] });
        var client = StartedClient(TlsPair.DefaultClient() with { Groups = [TlsNamedGroup.X25519] });
        client.TryGetOutput(out _, out var hello);

        var error = Assert.Throws<TlsAlertException>(() => server.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, hello.Span));

        Assert.Equal(TlsAlertDescription.HandshakeFailure, error.Alert);
    }

    private static TlsAlertException ServerRejects(Func<IReadOnlyList<TlsExtension>, IEnumerable<TlsExtension>> change)
    {
        var client = StartedClient();
        client.TryGetOutput(out _, out var bytes);
        var hello = Assert.IsType<ClientHello>(TlsHandshakeCodec.Decode(TlsHandshakeType.ClientHello, bytes.Span[4..]));
        var altered = ClientHello.Create(hello.Random, hello.CipherSuites, [.. change(hello.Extensions)]).Encode();
        var server = new TlsServerHandshake(TlsPair.DefaultServer());
        return Assert.Throws<TlsAlertException>(() => server.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, altered));
    }

    private static TlsClientHandshake StartedClient(TlsClientOptions? options = null)
    {
        var client = new TlsClientHandshake(options ?? TlsPair.DefaultClient());
        client.Start();
        return client;
    }

    private static TlsExtension KeyShare() =>
        KeyShareExtension.CreateServer(new TlsKeyShareEntry(TlsNamedGroup.X25519, new X25519KeyExchange(ServerPrivateKey).PublicKey));

    private static byte[] ServerHelloFor(TlsClientHandshake client, TlsCipherSuite suite = TlsCipherSuite.Aes128GcmSha256) =>
        new ServerHello(0x0303, new byte[32], [], suite, [SupportedVersionsExtension.CreateServer(), KeyShare()]).Encode();

    /// <summary>A real handshake's messages, so every decoder gets realistic input to mangle.</summary>
    private static IEnumerable<byte[]> SampleHandshake()
    {
        var pair = new TlsPair(server: TlsPair.DefaultServer() with { SendSessionTicket = true });
        pair.Run();
        return pair.ClientObserver.Messages.Select(m => m.Message.Encode()).Concat(
            pair.ServerObserver.Messages.Where(m => m.Message is HelloRetryRequest).Select(m => m.Message.Encode()));
    }
}
