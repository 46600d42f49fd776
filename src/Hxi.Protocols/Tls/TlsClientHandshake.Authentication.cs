namespace Hxi.Protocols.Tls;

/// <summary>The client's processing of the server's encrypted flight (RFC 9846 Sections 4.3 and 4.4).</summary>
public sealed partial class TlsClientHandshake
{
    /// <summary>Of the extensions a client sends, these may come back in EncryptedExtensions.</summary>
    private static readonly ushort[] EncryptedExtensionsAllowed =
    [
        (ushort)TlsExtensionType.ServerName,
        (ushort)TlsExtensionType.SupportedGroups,
        (ushort)TlsExtensionType.ApplicationLayerProtocolNegotiation,
        (ushort)TlsExtensionType.QuicTransportParameters,
        (ushort)TlsExtensionType.EarlyData,
    ];

    private void HandleEncryptedExtensions(EncryptedExtensions message, byte[] bytes)
    {
        foreach (var extension in message.Extensions)
        {
            if (!Offered(extension.Type))
            {
                throw new TlsAlertException(TlsAlertDescription.UnsupportedExtension, $"EncryptedExtensions carries {extension.Name}, which the client did not offer");
            }

            if (!EncryptedExtensionsAllowed.Contains(extension.Type))
            {
                throw TlsAlertException.Illegal($"EncryptedExtensions carries {extension.Name}, which does not belong there");
            }
        }

        if (TlsExtensionBlock.Find(message.Extensions, TlsExtensionType.ServerName) is { Length: > 0 })
        {
            throw TlsAlertException.Decode("the server_name acknowledgement must be empty");
        }

        if (options.ApplicationProtocols.Count > 0)
        {
            NegotiatedAlpn = CheckAlpn(message.Alpn);
        }

        PeerTransportParameters = message.TransportParameters
            ?? throw new TlsAlertException(TlsAlertDescription.MissingExtension, "EncryptedExtensions lacks quic_transport_parameters");
        SettleEarlyData(message);
        Transcript.Append(bytes);
        state = IsResumed ? ClientState.WaitFinished : ClientState.WaitCertificateOrRequest;
    }

    /// <summary>QUIC needs an application protocol (RFC 9001 Section 8.1): none or a foreign one is no_application_protocol.</summary>
    private string CheckAlpn(IReadOnlyList<string>? selected)
    {
        if (selected is null)
        {
            throw new TlsAlertException(TlsAlertDescription.NoApplicationProtocol, $"the server selected no application protocol; offered [{string.Join(", ", options.ApplicationProtocols)}]");
        }

        if (selected.Count != 1)
        {
            throw TlsAlertException.Illegal($"the server's ALPN answer names {selected.Count} protocols, not one");
        }

        if (!options.ApplicationProtocols.Contains(selected[0]))
        {
            throw new TlsAlertException(TlsAlertDescription.NoApplicationProtocol, $"the server selected '{selected[0]}', which was not offered ([{string.Join(", ", options.ApplicationProtocols)}])");
        }

        return selected[0];
    }

    private void HandleCertificateRequest(CertificateRequestMessage request, byte[] bytes)
    {
        if (request.RequestContext.Length != 0)
        {
            throw TlsAlertException.Illegal("a handshake CertificateRequest must have an empty context");
        }

        certificateRequestContext = request.RequestContext;
        Transcript.Append(bytes);
        state = ClientState.WaitCertificate;
    }

    private void HandleCertificate(CertificateMessage message, byte[] bytes)
    {
        if (message.RequestContext.Length != 0)
        {
            throw TlsAlertException.Illegal("the server's Certificate has a non-empty certificate_request_context");
        }

        // Section 4.4.2.4: "If the server supplies an empty Certificate message, the client MUST abort ... decode_error."
        if (message.Entries.Count == 0)
        {
            throw TlsAlertException.Decode("the server sent an empty Certificate message");
        }

        foreach (var entry in message.Entries)
        {
            if (entry.Extensions.Count > 0)
            {
                throw new TlsAlertException(TlsAlertDescription.UnsupportedExtension, $"CertificateEntry carries {entry.Extensions[0].Name}, which the client did not request");
            }
        }

        PeerCertificates = TlsCertificateValidator.Load(message);
        if (!options.Insecure)
        {
            TlsCertificateValidator.Validate(PeerCertificates, options.ServerName, options.CustomRoots, options.Now);
        }

        Transcript.Append(bytes);
        state = ClientState.WaitCertificateVerify;
    }

    private void HandleCertificateVerify(CertificateVerify verify, byte[] bytes)
    {
        if (!TlsSignatureSchemes.ForCertificateVerify.Contains(verify.Algorithm))
        {
            throw TlsAlertException.Illegal($"CertificateVerify uses {TlsSignatureSchemes.Name((ushort)verify.Algorithm)}, which was not offered in signature_algorithms");
        }

        var content = CertificateVerifyContent.Build(TlsRole.Server, Transcript.Hash(Keys!.Suite));
        if (!TlsSignatureVerifier.Verify(verify.Algorithm, PeerCertificates[0], content, verify.Signature))
        {
            throw new TlsAlertException(TlsAlertDescription.DecryptError, $"the {TlsSignatureSchemes.Name((ushort)verify.Algorithm)} signature in CertificateVerify does not verify with the certificate's key");
        }

        Transcript.Append(bytes);
        state = ClientState.WaitFinished;
    }

    private void HandleFinished(Finished finished, byte[] bytes)
    {
        CheckFinished(finished, serverHandshakeSecret);
        Transcript.Append(bytes);
        var serverFinishedHash = Transcript.Hash(Keys!.Suite);
        var clientApplicationSecret = Keys.ClientApplicationTrafficSecret(serverFinishedHash);
        Install(TlsEncryptionLevel.OneRtt, TlsSecretDirection.Read, Keys.ServerApplicationTrafficSecret(serverFinishedHash));

        // No client certificate: an empty Certificate answers a CertificateRequest, with no CertificateVerify.
        if (certificateRequestContext is not null)
        {
            SendAndRecord(TlsEncryptionLevel.Handshake, new CertificateMessage(certificateRequestContext, []));
        }

        SendAndRecord(TlsEncryptionLevel.Handshake, new Finished(Keys.VerifyData(clientHandshakeSecret, Transcript.Hash(Keys.Suite))));
        resumptionSecret = Keys.ResumptionSecret(Transcript.Hash(Keys.Suite));
        Install(TlsEncryptionLevel.OneRtt, TlsSecretDirection.Write, clientApplicationSecret);
        state = ClientState.Connected;
        MoveReceiveLevel(TlsEncryptionLevel.OneRtt);
        Complete();
    }
}
