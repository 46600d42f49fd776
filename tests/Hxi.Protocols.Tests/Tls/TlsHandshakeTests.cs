using System.Security.Cryptography;
using Hxi.Protocols.Tls;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Tests.Tls;

/// <summary>Client and server handshakes against each other in memory (RFC 9846 Section 2, RFC 9001 Section 4).</summary>
public class TlsHandshakeTests
{
    public static TheoryData<TlsCipherSuite, TlsNamedGroup> SuitesAndGroups()
    {
        var data = new TheoryData<TlsCipherSuite, TlsNamedGroup>();
        foreach (var suite in TlsCipherSuites.All)
        {
            data.Add(suite, TlsNamedGroup.X25519);
            data.Add(suite, TlsNamedGroup.Secp256r1);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SuitesAndGroups))]
    public void Section2_FullHandshake_EachCipherSuiteAndGroup(TlsCipherSuite suite, TlsNamedGroup group)
    {
        var pair = new TlsPair(
            TlsPair.DefaultClient() with { CipherSuites = [suite], Groups = [group] },
            TlsPair.DefaultServer());

        pair.Run();

        Assert.True(pair.Client.IsHandshakeComplete);
        Assert.True(pair.Server.IsHandshakeComplete);
        Assert.Equal(suite, pair.Client.CipherSuite);
        Assert.Equal(group, pair.Client.Group);
        Assert.Equal("h3", pair.Client.NegotiatedAlpn);
        Assert.Equal("h3", pair.Server.NegotiatedAlpn);
        Assert.Equal([0x0a, 0x0b], pair.Client.PeerTransportParameters);
        Assert.Equal([0x01, 0x02, 0x03], pair.Server.PeerTransportParameters);
        Assert.Equal("localhost", pair.Server.RequestedServerName);
        Assert.Equal("CN=localhost", pair.Client.PeerCertificates[0].Subject);
        AssertSecretsMirror(pair);
        Assert.IsType<TlsHandshakeCompleted>(pair.ClientEvents[^1]);
    }

    [Fact]
    public void Section4_1_1_SecretsAreInstalledInQuicOrder()
    {
        var pair = new TlsPair();
        pair.Run();

        Assert.Equal(
            ["Handshake Read", "Handshake Write", "OneRtt Read", "OneRtt Write", "complete"],
            pair.ClientEvents.Select(Describe));
        Assert.Equal(
            ["Handshake Read", "Handshake Write", "OneRtt Write", "OneRtt Read", "complete"],
            pair.ServerEvents.Select(Describe));
    }

    [Theory]
    [InlineData("p256")]
    [InlineData("p384")]
    [InlineData("rsa")]
    public void Section4_4_3_CertificateVerify_EachServerKeyType(string keyType)
    {
        var certificates = TlsTestCertificates.Default;
        var certificate = keyType switch
        {
            "p256" => certificates.IssueEcdsa("localhost", ECCurve.NamedCurves.nistP256),
            "p384" => certificates.IssueEcdsa("localhost", ECCurve.NamedCurves.nistP384),
            _ => certificates.IssueRsa("localhost"),
        };
        var pair = new TlsPair(server: new TlsServerOptions { Certificate = certificate, ApplicationProtocols = ["h3"] });

        pair.Run();

        var verify = pair.ClientObserver.Messages.Select(m => m.Message).OfType<CertificateVerify>().Single();
        var expected = keyType switch
        {
            "p256" => TlsSignatureScheme.EcdsaSecp256r1Sha256,
            "p384" => TlsSignatureScheme.EcdsaSecp384r1Sha384,
            _ => TlsSignatureScheme.RsaPssRsaeSha256,
        };
        Assert.Equal(expected, verify.Algorithm);
        Assert.True(pair.Client.IsHandshakeComplete);
    }

    [Theory]
    [InlineData(TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1)]
    [InlineData(TlsNamedGroup.Secp256r1, TlsNamedGroup.X25519)]
    public void Section4_1_4_HelloRetryRequest_WhenTheClientSharedTheOtherGroup(TlsNamedGroup clientShare, TlsNamedGroup serverPreference)
    {
        var pair = new TlsPair(
            TlsPair.DefaultClient() with { Groups = [clientShare, serverPreference], KeyShareGroups = [clientShare] },
            TlsPair.DefaultServer() with { Groups = [serverPreference, clientShare] });

        pair.Run();

        Assert.True(pair.Client.IsHandshakeComplete);
        Assert.Equal(serverPreference, pair.Client.Group);
        var received = pair.ClientObserver.Messages.Where(m => m.Direction == WireDirection.Received).Select(m => m.Message).ToList();
        var retry = Assert.IsType<HelloRetryRequest>(received[0]);
        Assert.Equal(serverPreference, retry.SelectedGroup);
        var sent = pair.ClientObserver.Messages.Where(m => m.Direction == WireDirection.Sent).Select(m => m.Message).OfType<ClientHello>().ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal(serverPreference, Assert.Single(sent[1].KeyShares!).Group);
        Assert.Equal(sent[0].Random, sent[1].Random);
        AssertSecretsMirror(pair);
    }

    [Fact]
    public void Section4_1_4_SecondHelloRetryRequest_IsUnexpectedMessage()
    {
        var client = new TlsClientHandshake(TlsPair.DefaultClient() with { KeyShareGroups = [TlsNamedGroup.X25519] });
        client.Start();
        var retry = new HelloRetryRequest(0x0303, [], TlsCipherSuite.Aes128GcmSha256, [
            new TlsExtension(TlsExtensionType.SupportedVersions, [0x03, 0x04]),
            new TlsExtension(TlsExtensionType.KeyShare, [0x00, 0x17]),
        ]).Encode();

        client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, retry);
        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, retry));

        Assert.Equal(TlsAlertDescription.UnexpectedMessage, error.Alert);
        Assert.Equal(0x10a, error.QuicErrorCode);
    }

    [Fact]
    public void Section4_1_4_HelloRetryRequestForAGroupAlreadyShared_IsIllegalParameter()
    {
        var client = new TlsClientHandshake(TlsPair.DefaultClient() with { KeyShareGroups = [TlsNamedGroup.X25519] });
        client.Start();
        var retry = new HelloRetryRequest(0x0303, [], TlsCipherSuite.Aes128GcmSha256, [
            new TlsExtension(TlsExtensionType.SupportedVersions, [0x03, 0x04]),
            new TlsExtension(TlsExtensionType.KeyShare, [0x00, 0x1d]),
        ]).Encode();

        var error = Assert.Throws<TlsAlertException>(() => client.ReceiveHandshakeBytes(TlsEncryptionLevel.Initial, retry));

        Assert.Equal(TlsAlertDescription.IllegalParameter, error.Alert);
    }

    [Fact]
    public void Rfc9001_Section8_1_AlpnMismatch_IsNoApplicationProtocol()
    {
        var pair = new TlsPair(
            TlsPair.DefaultClient() with { ApplicationProtocols = ["h3-29"] },
            TlsPair.DefaultServer() with { ApplicationProtocols = ["h3"] });

        var error = Assert.Throws<TlsAlertException>(pair.Run);

        Assert.Equal(TlsAlertDescription.NoApplicationProtocol, error.Alert);
        Assert.Equal(0x178, error.QuicErrorCode);
        Assert.Same(error, pair.Server.Failure);
    }

    [Fact]
    public void Rfc9001_Section8_1_ServerSelectsNoProtocol_ClientSendsNoApplicationProtocol()
    {
        var pair = new TlsPair(server: TlsPair.DefaultServer() with { ApplicationProtocols = [] });

        var error = Assert.Throws<TlsAlertException>(pair.Run);

        Assert.Equal(TlsAlertDescription.NoApplicationProtocol, error.Alert);
        Assert.Same(error, pair.Client.Failure);
    }

    [Fact]
    public void Section4_4_4_TamperedServerFinished_IsDecryptError()
    {
        var pair = new TlsPair
        {
            Tamper = (fromClient, level, bytes) =>
            {
                if (!fromClient && level == TlsEncryptionLevel.Handshake)
                {
                    bytes[^1] ^= 0x01;
                }

                return bytes;
            },
        };

        var error = Assert.Throws<TlsAlertException>(pair.Run);

        Assert.Equal(TlsAlertDescription.DecryptError, error.Alert);
        Assert.Contains("Finished", error.Reason);
        Assert.Same(error, pair.Client.Failure);
    }

    [Fact]
    public void Section4_4_4_TamperedClientFinished_IsDecryptError()
    {
        var pair = new TlsPair
        {
            Tamper = (fromClient, level, bytes) =>
            {
                if (fromClient && level == TlsEncryptionLevel.Handshake)
                {
                    bytes[^1] ^= 0x80;
                }

                return bytes;
            },
        };

        var error = Assert.Throws<TlsAlertException>(pair.Run);

        Assert.Equal(TlsAlertDescription.DecryptError, error.Alert);
        Assert.Same(error, pair.Server.Failure);
    }

    [Fact]
    public void Section4_4_3_TamperedSignature_IsDecryptError()
    {
        var pair = new TlsPair
        {
            Tamper = (fromClient, level, bytes) =>
            {
                if (!fromClient && level == TlsEncryptionLevel.Handshake)
                {
                    // The ECDSA signature's last byte sits just before the 36-byte Finished message.
                    bytes[^37] ^= 0x01;
                }

                return bytes;
            },
        };

        var error = Assert.Throws<TlsAlertException>(pair.Run);

        Assert.Equal(TlsAlertDescription.DecryptError, error.Alert);
        Assert.Contains("CertificateVerify", error.Reason);
    }

    [Fact]
    public void Section4_4_2_WrongHostName_IsBadCertificate()
    {
        var pair = new TlsPair(TlsPair.DefaultClient() with { ServerName = "example.com" });

        var error = Assert.Throws<TlsAlertException>(pair.Run);

        Assert.Equal(TlsAlertDescription.BadCertificate, error.Alert);
        Assert.Equal("certificate name mismatch: 'example.com' is not among [localhost]", error.Reason);
    }

    [Fact]
    public void Section4_4_2_ExpiredCertificate_IsCertificateExpired()
    {
        var pair = new TlsPair(TlsPair.DefaultClient() with { Now = TlsTestCertificates.Now.AddDays(120) });

        var error = Assert.Throws<TlsAlertException>(pair.Run);

        Assert.Equal(TlsAlertDescription.CertificateExpired, error.Alert);
        Assert.Contains("CN=localhost", error.Reason);
        Assert.Contains("not at 2026-09-29", error.Reason);
    }

    [Fact]
    public void Section4_4_2_UnknownCa_IsUnknownCa()
    {
        var otherCa = new TlsTestCertificates("some other CA");
        var pair = new TlsPair(TlsPair.DefaultClient() with { CustomRoots = otherCa.Roots });

        var error = Assert.Throws<TlsAlertException>(pair.Run);

        Assert.Equal(TlsAlertDescription.UnknownCa, error.Alert);
        Assert.Contains("issued by 'CN=hxi test CA'", error.Reason);
        Assert.Contains("--cacert", error.Reason);
    }

    [Fact]
    public void Section4_4_2_Insecure_AcceptsAnUntrustedExpiredMisnamedCertificate()
    {
        var pair = new TlsPair(TlsPair.DefaultClient() with
        {
            ServerName = "example.com",
            CustomRoots = new TlsTestCertificates("some other CA").Roots,
            Now = TlsTestCertificates.Now.AddYears(3),
            Insecure = true,
        });

        pair.Run();

        Assert.True(pair.Client.IsHandshakeComplete);
    }

    [Fact]
    public void Section4_FeedingOneByteAtATime_CompletesTheSameHandshake()
    {
        var pair = new TlsPair(
            TlsPair.DefaultClient() with { Groups = [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1] },
            TlsPair.DefaultServer() with { Groups = [TlsNamedGroup.Secp256r1], SendSessionTicket = true })
        {
            OneByteAtATime = true,
        };

        pair.Run();

        Assert.True(pair.Client.IsHandshakeComplete);
        Assert.True(pair.Server.IsHandshakeComplete);
        AssertSecretsMirror(pair);
        Assert.Single(pair.ClientEvents.OfType<TlsSessionTicketReceived>());
    }

    [Fact]
    public void Section4_6_1_NewSessionTicket_IsParsedAndReported()
    {
        var pair = new TlsPair(server: TlsPair.DefaultServer() with { SendSessionTicket = true });

        pair.Run();

        var ticket = Assert.Single(pair.ClientEvents.OfType<TlsSessionTicketReceived>()).Ticket;
        Assert.Equal(7200u, ticket.LifetimeSeconds);
        Assert.Equal(32, ticket.Ticket.Length);
        Assert.Contains(pair.ClientObserver.Messages, m => m.Level == TlsEncryptionLevel.OneRtt && m.Message is NewSessionTicket);
    }

    [Fact]
    public void KeyLog_HasTheFourSslKeyLogFileLines_WithTheClientRandom()
    {
        var pair = new TlsPair();
        pair.Run();

        var random = Convert.ToHexStringLower(pair.Client.ClientRandom);
        Assert.Equal(
            ["SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_TRAFFIC_SECRET_0", "CLIENT_TRAFFIC_SECRET_0"],
            pair.ClientObserver.KeyLog.Select(l => l.Split(' ')[0]));
        Assert.All(pair.ClientObserver.KeyLog, line => Assert.Equal(random, line.Split(' ')[1]));
        Assert.Equal(pair.ClientObserver.KeyLog.Order(), pair.ServerObserver.KeyLog.Order());
    }

    [Fact]
    public void Observer_SeesTheClientHelloExtensionsDecoded()
    {
        var pair = new TlsPair();
        pair.Run();

        var hello = Assert.IsType<ClientHello>(pair.ServerObserver.Messages[0].Message);
        Assert.Equal("localhost", hello.ServerName);
        Assert.Equal(["h3"], hello.Alpn);
        Assert.Equal([(ushort)0x0304], hello.SupportedVersions);
        Assert.Equal([TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1], hello.SupportedGroups);
        Assert.Equal(TlsNamedGroup.X25519, Assert.Single(hello.KeyShares!).Group);
        Assert.Equal(TlsSignatureSchemes.ForCertificateVerify, hello.SignatureAlgorithms);
        Assert.Contains(TlsSignatureScheme.RsaPkcs1Sha256, hello.SignatureAlgorithmsCert!);
        Assert.Equal([0x01, 0x02, 0x03], hello.TransportParameters);
        Assert.Empty(hello.LegacySessionId);
        Assert.Equal(
            ["ServerHello", "EncryptedExtensions", "CertificateMessage", "CertificateVerify", "Finished"],
            pair.ClientObserver.Messages.Where(m => m.Direction == WireDirection.Received).Select(m => m.Message.GetType().Name));
    }

    [Fact]
    public void Section7_2_NextApplicationTrafficSecret_IsTrafficUpdLabel()
    {
        var secret = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        var next = TlsKeySchedule.NextApplicationTrafficSecret(TlsCipherSuite.Aes128GcmSha256, secret);

        Assert.Equal(TlsHkdf.ExpandLabel(HashAlgorithmName.SHA256, secret, "traffic upd", [], 32), next);
        Assert.Equal(48, TlsKeySchedule.NextApplicationTrafficSecret(TlsCipherSuite.Aes256GcmSha384, new byte[48]).Length);
    }

    private static string Describe(TlsEvent e) => e switch
    {
        TlsSecretAvailable s => $"{s.Level} {s.Direction}",
        TlsHandshakeCompleted => "complete",
        _ => e.GetType().Name,
    };

    /// <summary>What one side writes with, the other reads with, at every level.</summary>
    private static void AssertSecretsMirror(TlsPair pair)
    {
        var client = pair.ClientEvents.OfType<TlsSecretAvailable>().ToList();
        var server = pair.ServerEvents.OfType<TlsSecretAvailable>().ToList();
        Assert.Equal(4, client.Count);
        Assert.Equal(4, server.Count);
        foreach (var secret in client)
        {
            var mirror = server.Single(s => s.Level == secret.Level && s.Direction != secret.Direction);
            Assert.Equal(secret.Secret, mirror.Secret);
            Assert.Equal(secret.CipherSuite, mirror.CipherSuite);
        }
    }
}
