namespace Hxi.Protocols.Tls;

/// <summary>The client's ServerHello and HelloRetryRequest processing (RFC 9846 Sections 4.1.3 and 4.1.4).</summary>
public sealed partial class TlsClientHandshake
{
    private static readonly ushort[] ServerHelloExtensions =
        [(ushort)TlsExtensionType.SupportedVersions, (ushort)TlsExtensionType.KeyShare];

    private static readonly ushort[] ServerHelloResumptionExtensions =
        [(ushort)TlsExtensionType.SupportedVersions, (ushort)TlsExtensionType.KeyShare, (ushort)TlsExtensionType.PreSharedKey];

    private static readonly ushort[] HelloRetryExtensions =
        [(ushort)TlsExtensionType.SupportedVersions, (ushort)TlsExtensionType.KeyShare, (ushort)TlsExtensionType.Cookie];

    private void HandleHelloRetryRequest(HelloRetryRequest retry, byte[] bytes)
    {
        if (helloRetry is not null)
        {
            throw TlsAlertException.Unexpected("a second HelloRetryRequest");
        }

        CheckCommonFields(retry.LegacyVersion, retry.SelectedVersion, retry.LegacySessionIdEcho, retry.CipherSuite, retry.Extensions, HelloRetryExtensions, "HelloRetryRequest");
        if (retry.SelectedGroup is null && retry.Cookie is null)
        {
            throw TlsAlertException.Illegal("HelloRetryRequest would not change the ClientHello");
        }

        if (retry.SelectedGroup is { } group)
        {
            if (!options.Groups.Contains(group))
            {
                throw TlsAlertException.Illegal($"HelloRetryRequest asks for {TlsNamedGroups.Name(group)}, which was not offered");
            }

            if (keyShares.Exists(k => k.Group == group))
            {
                throw TlsAlertException.Illegal($"HelloRetryRequest asks for {TlsNamedGroups.Name(group)}, which already had a key share");
            }

            keyShares.Clear();
            keyShares.Add(options.KeyExchangeFactory(group));
        }

        helloRetry = retry;
        Transcript = TlsTranscript.StartAfterHelloRetry(firstClientHello, retry.CipherSuite);
        Transcript.Append(bytes);
        // Section 4.2.10: 0-RTT cannot survive a HelloRetryRequest; the second ClientHello offers none.
        SettleEarlyData(accepted: false);
        offeredExtensions = BuildExtensions(retry.Cookie);

        SendAndRecord(TlsEncryptionLevel.Initial, BindPsk(ClientHello.Create(ClientRandom, options.CipherSuites, offeredExtensions)));
    }

    private void HandleServerHello(ServerHello hello, byte[] bytes)
    {
        CheckCommonFields(hello.LegacyVersion, hello.SelectedVersion, hello.LegacySessionIdEcho, hello.CipherSuite, hello.Extensions,
            offeredTicket is null ? ServerHelloExtensions : ServerHelloResumptionExtensions, "ServerHello");
        if (helloRetry is not null && hello.CipherSuite != helloRetry.CipherSuite)
        {
            throw TlsAlertException.Illegal($"ServerHello picks {TlsCipherSuites.Name(hello.CipherSuite)} after HelloRetryRequest picked {TlsCipherSuites.Name(helloRetry.CipherSuite)}");
        }

        var share = hello.KeyShare ?? throw new TlsAlertException(TlsAlertDescription.MissingExtension, "ServerHello has no key_share (PSK-only modes are not offered)");
        var keyExchange = keyShares.Find(k => k.Group == share.Group)
            ?? throw TlsAlertException.Illegal($"ServerHello key share is for {TlsNamedGroups.Name(share.Group)}, for which no share was sent");
        var sharedSecret = keyExchange.DeriveSharedSecret(share.KeyExchange);

        CipherSuite = hello.CipherSuite;
        Group = share.Group;
        Transcript.Append(bytes);
        Keys = new TlsKeySchedule(hello.CipherSuite, AcceptedPsk(hello));
        Keys.SetSharedSecret(sharedSecret);
        var helloHash = Transcript.Hash(hello.CipherSuite);
        clientHandshakeSecret = Keys.ClientHandshakeTrafficSecret(helloHash);
        serverHandshakeSecret = Keys.ServerHandshakeTrafficSecret(helloHash);
        Install(TlsEncryptionLevel.Handshake, TlsSecretDirection.Read, serverHandshakeSecret);
        Install(TlsEncryptionLevel.Handshake, TlsSecretDirection.Write, clientHandshakeSecret);
        state = ClientState.WaitEncryptedExtensions;
        MoveReceiveLevel(TlsEncryptionLevel.Handshake);
    }

    /// <summary>The checks ServerHello and HelloRetryRequest share (Section 4.1.4: "MUST check ... as specified in 4.1.3").</summary>
    private void CheckCommonFields(ushort legacyVersion, ushort? selectedVersion, byte[] sessionIdEcho, TlsCipherSuite suite, IReadOnlyList<TlsExtension> extensions, ushort[] allowed, string what)
    {
        if (legacyVersion != 0x0303)
        {
            throw new TlsAlertException(TlsAlertDescription.ProtocolVersion, $"{what} legacy_version is 0x{legacyVersion:x4}, not 0x0303");
        }

        if (selectedVersion is null)
        {
            throw new TlsAlertException(TlsAlertDescription.ProtocolVersion, $"{what} has no supported_versions: the server speaks TLS 1.2 or older, and QUIC needs TLS 1.3");
        }

        if (selectedVersion != SupportedVersionsExtension.Tls13)
        {
            throw TlsAlertException.Illegal($"{what} selects version 0x{selectedVersion:x4}, which was not offered");
        }

        if (sessionIdEcho.Length != 0)
        {
            throw TlsAlertException.Illegal($"{what} echoes a legacy_session_id that was not sent");
        }

        if (!options.CipherSuites.Contains(suite))
        {
            throw TlsAlertException.Illegal($"{what} picks cipher suite {TlsCipherSuites.Name(suite)}, which was not offered");
        }

        foreach (var extension in extensions)
        {
            if (!allowed.Contains(extension.Type))
            {
                throw new TlsAlertException(TlsAlertDescription.UnsupportedExtension, $"{what} carries {extension.Name}, which does not belong there");
            }
        }
    }
}
