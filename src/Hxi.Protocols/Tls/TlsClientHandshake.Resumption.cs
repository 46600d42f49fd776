namespace Hxi.Protocols.Tls;

/// <summary>
/// The client's resumption (RFC 9846 Sections 2.2, 4.2.11, 4.6.1) and 0-RTT (Section 4.2.10): it keeps tickets as they
/// arrive, offers one as a PSK with psk_dhe_ke and a binder over the truncated ClientHello, and sends early data
/// under client_early_traffic_secret when the ticket allows.
/// </summary>
public sealed partial class TlsClientHandshake
{
    private TlsSessionTicket? offeredTicket;
    private byte[] resumptionSecret = [];

    // 0-RTT went out with the first ClientHello; EarlyData says Accepted or Rejected once the server has answered.
    private bool earlyDataOffered;

    /// <summary>The ticket offered in the ClientHello, if any (one that had expired or was for another name is not).</summary>
    public TlsSessionTicket? OfferedTicket => offeredTicket;

    private void ChooseTicket()
    {
        var ticket = options.Resumption;
        if (ticket is null
            || ticket.IsExpiredAt(options.Now)
            || !options.CipherSuites.Contains(ticket.CipherSuite)
            || !string.Equals(ticket.ServerName, options.ServerName, StringComparison.OrdinalIgnoreCase)
            || (ticket.ApplicationProtocol is { } alpn && !options.ApplicationProtocols.Contains(alpn)))
        {
            return;
        }

        offeredTicket = ticket;
        if (options.OfferEarlyData && ticket.AllowsEarlyData)
        {
            earlyDataOffered = true;
        }
    }

    /// <summary>
    /// psk_key_exchange_modes always; with a ticket, early_data and, last of all (Section 4.2.11), pre_shared_key with a
    /// zero binder.
    /// </summary>
    private void AddResumptionExtensions(List<TlsExtension> extensions, bool afterHelloRetry)
    {
        // Section 4.2.9: the modes also tell the server which tickets the client can use; without them a server
        // should send none, and Go's (Caddy's) sends one it cannot redeem (no resumption secret inside).
        extensions.Add(PskKeyExchangeModesExtension.Create());
        if (offeredTicket is null)
        {
            return;
        }

        if (earlyDataOffered && !afterHelloRetry)
        {
            extensions.Add(new TlsExtension(TlsExtensionType.EarlyData, []));
        }

        var identity = new TlsPskIdentity(offeredTicket.Ticket, offeredTicket.ObfuscatedAgeAt(options.Now));
        var zeroBinder = new byte[TlsCipherSuites.HashLength(offeredTicket.CipherSuite)];
        extensions.Add(PreSharedKeyExtension.CreateClient(new TlsOfferedPsks([identity], [zeroBinder])));
    }

    /// <summary>
    /// Fills in the binder: a Finished MAC, under binder_key, of the transcript so far and the ClientHello up to
    /// (not including) the binders list (Section 4.2.11.2). The binder's length is fixed, so nothing else moves.
    /// </summary>
    private ClientHello BindPsk(ClientHello hello)
    {
        if (offeredTicket is not { } ticket)
        {
            return hello;
        }

        var offered = hello.PreSharedKey!;
        var truncated = hello.Encode().AsSpan()[..^offered.BindersLength];
        var binder = ComputeBinder(ticket.CipherSuite, ticket.Psk, Transcript.HashWith(ticket.CipherSuite, truncated));
        var extensions = hello.Extensions.ToList();
        extensions[^1] = PreSharedKeyExtension.CreateClient(offered with { Binders = [binder] });
        offeredExtensions = extensions;
        return ClientHello.Create(ClientRandom, options.CipherSuites, extensions);
    }

    /// <summary>binder = HMAC(finished_key(binder_key), Transcript-Hash(truncated ClientHello)).</summary>
    public static byte[] ComputeBinder(TlsCipherSuite suite, ReadOnlySpan<byte> psk, ReadOnlySpan<byte> truncatedHelloHash)
    {
        var keys = new TlsKeySchedule(suite, psk);
        return keys.VerifyData(keys.ResumptionBinderKey(), truncatedHelloHash);
    }

    private void StartEarlyData()
    {
        if (!earlyDataOffered || offeredTicket is not { } ticket)
        {
            return;
        }

        var keys = new TlsKeySchedule(ticket.CipherSuite, ticket.Psk);
        InstallEarly(ticket.CipherSuite, keys.ClientEarlyTrafficSecret(TlsHkdf.Hash(TlsCipherSuites.Hash(ticket.CipherSuite), firstClientHello)));
    }

    /// <summary>The PSK for the key schedule when ServerHello picked our ticket; empty for a full handshake.</summary>
    private byte[] AcceptedPsk(ServerHello hello)
    {
        if (hello.SelectedIdentity is not { } selected)
        {
            SettleEarlyData(accepted: false);
            return [];
        }

        if (offeredTicket is not { } ticket || selected != 0)
        {
            throw TlsAlertException.Illegal($"ServerHello selects PSK identity {selected}, which was not offered");
        }

        // Section 4.2.11: the suite must share the PSK's hash.
        if (TlsCipherSuites.Hash(hello.CipherSuite) != TlsCipherSuites.Hash(ticket.CipherSuite))
        {
            throw TlsAlertException.Illegal($"ServerHello resumes with {TlsCipherSuites.Name(hello.CipherSuite)}, whose hash differs from the ticket's {TlsCipherSuites.Name(ticket.CipherSuite)}");
        }

        IsResumed = true;
        return ticket.Psk;
    }

    private void SettleEarlyData(EncryptedExtensions message)
    {
        if (message.AcceptsEarlyData)
        {
            // Section 4.2.10: accepted early data is bound to the first PSK, the ticket's suite and its ALPN.
            if (!IsResumed || !earlyDataOffered || EarlyData != TlsEarlyDataOutcome.NotOffered)
            {
                throw TlsAlertException.Illegal("EncryptedExtensions accepts early data that was not sent under the resumed PSK");
            }

            if (CipherSuite != offeredTicket!.CipherSuite || (offeredTicket.ApplicationProtocol is { } alpn && NegotiatedAlpn != alpn))
            {
                throw TlsAlertException.Illegal("the server accepts early data under another cipher suite or application protocol than the ticket's");
            }
        }

        SettleEarlyData(message.AcceptsEarlyData);
    }

    /// <summary>Records the server's answer to 0-RTT once: a HelloRetryRequest, a full handshake or EncryptedExtensions.</summary>
    private void SettleEarlyData(bool accepted)
    {
        if (earlyDataOffered && EarlyData == TlsEarlyDataOutcome.NotOffered)
        {
            EarlyData = accepted ? TlsEarlyDataOutcome.Accepted : TlsEarlyDataOutcome.Rejected;
        }
    }

    /// <summary>What to keep of a NewSessionTicket: null when its lifetime is zero ("should not be cached").</summary>
    private TlsSessionTicket? KeepTicket(NewSessionTicket ticket)
    {
        if (ticket.LifetimeSeconds == 0 || resumptionSecret.Length == 0)
        {
            return null;
        }

        return new TlsSessionTicket
        {
            Ticket = ticket.Ticket,
            Psk = TlsKeySchedule.ResumptionPsk(CipherSuite!.Value, resumptionSecret, ticket.Nonce),
            CipherSuite = CipherSuite.Value,
            ApplicationProtocol = NegotiatedAlpn,
            ServerName = options.ServerName,
            MaxEarlyDataSize = ticket.MaxEarlyDataSize,
            AgeAdd = ticket.AgeAdd,
            LifetimeSeconds = ticket.LifetimeSeconds,
            ReceivedAt = options.Now,
            PeerTransportParameters = PeerTransportParameters,
        };
    }
}
