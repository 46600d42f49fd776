namespace Hxi.Protocols.Tls;

/// <summary>The server's ClientHello processing and its first flight (RFC 9846 Sections 4.1 to 4.4).</summary>
public sealed partial class TlsServerHandshake
{
    private void HandleClientHello(ClientHello hello, byte[] bytes)
    {
        var offer = Negotiate(hello);
        var share = hello.KeyShares!.FirstOrDefault(s => s.Group == offer.Group);
        if (helloRetry is not null)
        {
            if (offer.Suite != helloRetry.CipherSuite)
            {
                throw TlsAlertException.Illegal("the second ClientHello changes the cipher suite negotiation");
            }

            if (share is null || hello.KeyShares!.Count != 1)
            {
                throw TlsAlertException.Illegal($"the second ClientHello must carry one key share, for {TlsNamedGroups.Name(offer.Group)}");
            }

            if (!hello.Random.AsSpan().SequenceEqual(ClientRandom))
            {
                throw TlsAlertException.Illegal("the second ClientHello changes the random");
            }

            offer = TryResume(hello, bytes, offer);
            Transcript.Append(bytes);
        }
        else
        {
            ClientRandom = hello.Random;
            if (share is null)
            {
                SendHelloRetryRequest(offer, bytes);
                return;
            }

            offer = TryResume(hello, bytes, offer);
            Transcript.Append(bytes);
        }

        CipherSuite = offer.Suite;
        Group = offer.Group;
        NegotiatedAlpn = offer.Alpn;
        PeerTransportParameters = hello.TransportParameters;
        RequestedServerName = hello.ServerName;
        SendServerFlight(hello, offer, share);
    }

    private void SendHelloRetryRequest(Offer offer, byte[] clientHello1)
    {
        helloRetry = new HelloRetryRequest(0x0303, [], offer.Suite, [SupportedVersionsExtension.CreateServer(), KeyShareExtension.CreateHelloRetry(offer.Group)]);
        Transcript = TlsTranscript.StartAfterHelloRetry(clientHello1, offer.Suite);
        SendAndRecord(TlsEncryptionLevel.Initial, helloRetry);
        state = ServerState.WaitSecondClientHello;
    }

    private void SendServerFlight(ClientHello hello, Offer offer, TlsKeyShareEntry clientShare)
    {
        var keyExchange = options.KeyExchangeFactory(offer.Group);
        var sharedSecret = keyExchange.DeriveSharedSecret(clientShare.KeyExchange);
        Keys = new TlsKeySchedule(offer.Suite, resumedTicket?.Psk ?? []);
        if (EarlyData == TlsEarlyDataOutcome.Accepted)
        {
            InstallEarly(offer.Suite, Keys.ClientEarlyTrafficSecret(Transcript.Hash(offer.Suite)));
        }

        List<TlsExtension> helloExtensions = [SupportedVersionsExtension.CreateServer(), KeyShareExtension.CreateServer(new TlsKeyShareEntry(offer.Group, keyExchange.PublicKey))];
        if (resumedTicket is not null)
        {
            helloExtensions.Add(PreSharedKeyExtension.CreateServer(0));
        }

        var serverHello = new ServerHello(0x0303, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), [], offer.Suite, helloExtensions);
        SendAndRecord(TlsEncryptionLevel.Initial, serverHello);

        Keys.SetSharedSecret(sharedSecret);
        var helloHash = Transcript.Hash(offer.Suite);
        clientHandshakeSecret = Keys.ClientHandshakeTrafficSecret(helloHash);
        var serverHandshakeSecret = Keys.ServerHandshakeTrafficSecret(helloHash);
        Install(TlsEncryptionLevel.Handshake, TlsSecretDirection.Read, clientHandshakeSecret);
        Install(TlsEncryptionLevel.Handshake, TlsSecretDirection.Write, serverHandshakeSecret);

        var extensions = new List<TlsExtension>();
        if (hello.ServerName is not null)
        {
            extensions.Add(new TlsExtension(TlsExtensionType.ServerName, []));
        }

        if (offer.Alpn is not null)
        {
            extensions.Add(AlpnExtension.Create([offer.Alpn]));
        }

        extensions.Add(new TlsExtension(TlsExtensionType.QuicTransportParameters, options.TransportParametersFor?.Invoke(hello.TransportParameters) ?? options.TransportParameters));
        if (EarlyData == TlsEarlyDataOutcome.Accepted)
        {
            extensions.Add(new TlsExtension(TlsExtensionType.EarlyData, []));
        }

        SendAndRecord(TlsEncryptionLevel.Handshake, new EncryptedExtensions(extensions));
        if (resumedTicket is null)
        {
            SendCertificateFlight(offer);
        }

        SendAndRecord(TlsEncryptionLevel.Handshake, new Finished(Keys.VerifyData(serverHandshakeSecret, Transcript.Hash(offer.Suite))));

        var serverFinishedHash = Transcript.Hash(offer.Suite);
        clientApplicationSecret = Keys.ClientApplicationTrafficSecret(serverFinishedHash);
        Install(TlsEncryptionLevel.OneRtt, TlsSecretDirection.Write, Keys.ServerApplicationTrafficSecret(serverFinishedHash));
        state = ServerState.WaitFinished;
        MoveReceiveLevel(TlsEncryptionLevel.Handshake);
    }

    private void SendCertificateFlight(Offer offer)
    {
        var chain = new List<TlsCertificateEntry> { new(options.Certificate.RawData, []) };
        chain.AddRange(options.Intermediates.Select(c => new TlsCertificateEntry(c.RawData, [])));
        SendAndRecord(TlsEncryptionLevel.Handshake, new CertificateMessage([], chain));

        var content = CertificateVerifyContent.Build(TlsRole.Server, Transcript.Hash(offer.Suite));
        SendAndRecord(TlsEncryptionLevel.Handshake, new CertificateVerify(offer.Scheme, TlsSigner.Sign(options.Certificate, offer.Scheme, content)));
    }
}
