using System.Security.Cryptography;

namespace Hxi.Protocols.Tls;

/// <summary>
/// The server's resumption (RFC 9846 Sections 4.2.11, 4.6.1) and 0-RTT (Section 4.2.10, anti-replay per Section 8.1):
/// a ticket that opens, has not expired and was issued for this name and a suite of the same hash resumes, if its
/// binder is right; 0-RTT is accepted for the first identity only, on the ticket's own suite and ALPN, with a fresh
/// age, acceptable remembered parameters, and only the first time the ticket is used for it.
/// </summary>
public sealed partial class TlsServerHandshake
{
    private TlsTicketContents? resumedTicket;

    // Section 4.2.9: a client that lists no psk_dhe_ke could not use a ticket of ours; it gets none.
    private bool clientAcceptsTickets;

    /// <summary>Tries the first offered ticket; returns the offer, its suite switched to the ticket's when the client offers that.</summary>
    private Offer TryResume(ClientHello hello, byte[] bytes, Offer offer)
    {
        resumedTicket = null;
        clientAcceptsTickets = hello.PskModes?.Contains(PskKeyExchangeModesExtension.PskDheKe) == true;
        EarlyData = hello.OffersEarlyData ? TlsEarlyDataOutcome.Rejected : TlsEarlyDataOutcome.NotOffered;
        if (hello.PreSharedKey is not { } offered)
        {
            if (hello.OffersEarlyData)
            {
                throw TlsAlertException.Illegal("early_data offered without pre_shared_key");
            }

            return offer;
        }

        if (hello.Extensions[^1].Type != (ushort)TlsExtensionType.PreSharedKey)
        {
            throw TlsAlertException.Illegal("pre_shared_key is not the last extension of the ClientHello");
        }

        if (hello.PskModes is null)
        {
            throw new TlsAlertException(TlsAlertDescription.MissingExtension, "pre_shared_key offered without psk_key_exchange_modes");
        }

        if (options.Tickets is not { } tickets || !hello.PskModes.Contains(PskKeyExchangeModesExtension.PskDheKe)
            || !tickets.TryOpen(offered.Identities[0].Identity, out var ticket))
        {
            return offer;
        }

        var serverAge = options.Now - ticket!.IssuedAt;
        var suite = helloRetry is null && hello.CipherSuites.Contains(ticket.CipherSuite) && options.CipherSuites.Contains(ticket.CipherSuite)
            ? ticket.CipherSuite
            : offer.Suite;
        if (serverAge < TimeSpan.Zero || options.Now > ticket.ExpiresAt
            || TlsCipherSuites.Hash(suite) != TlsCipherSuites.Hash(ticket.CipherSuite)
            || !string.Equals(ticket.ServerName, hello.ServerName, StringComparison.OrdinalIgnoreCase))
        {
            return offer;
        }

        // The binder covers the transcript so far and this ClientHello up to its binders list.
        var truncated = bytes.AsSpan()[..^offered.BindersLength];
        var expected = TlsClientHandshake.ComputeBinder(ticket.CipherSuite, ticket.Psk, Transcript.HashWith(ticket.CipherSuite, truncated));
        if (!CryptographicOperations.FixedTimeEquals(expected, offered.Binders[0]))
        {
            throw new TlsAlertException(TlsAlertDescription.DecryptError, "the PSK binder does not verify");
        }

        resumedTicket = ticket;
        IsResumed = true;
        offer = offer with { Suite = suite };
        if (hello.OffersEarlyData && MayAcceptEarlyData(ticket, offered.Identities[0], offer, serverAge, tickets))
        {
            EarlyData = TlsEarlyDataOutcome.Accepted;
        }

        return offer;
    }

    private bool MayAcceptEarlyData(TlsTicketContents ticket, TlsPskIdentity identity, Offer offer, TimeSpan serverAge, TlsServerTickets tickets)
    {
        var clientAge = TimeSpan.FromMilliseconds(unchecked(identity.ObfuscatedTicketAge - ticket.AgeAdd));
        var contextOk = options.AcceptEarlyDataContext?.Invoke(ticket.EarlyDataContext)
            ?? ticket.EarlyDataContext.AsSpan().SequenceEqual(options.EarlyDataContext);
        return helloRetry is null
            && tickets.AllowEarlyData
            && ticket.AllowsEarlyData
            && offer.Suite == ticket.CipherSuite
            && offer.Alpn == ticket.ApplicationProtocol
            && (clientAge - serverAge).Duration() <= tickets.FreshnessWindow
            && contextOk
            && tickets.TryClaimEarlyData(ticket, options.Now); // last: a claim is spent only on 0-RTT really accepted
    }

    /// <summary>One NewSessionTicket: the resumption PSK with its context, sealed under the server's ticket key.</summary>
    private void IssueTicket(TlsServerTickets tickets)
    {
        var suite = CipherSuite!.Value;
        var resumptionSecret = Keys!.ResumptionSecret(Transcript.Hash(suite));
        byte[] nonce = [0];
        var lifetime = (uint)Math.Min(tickets.Lifetime.TotalSeconds, NewSessionTicket.MaxLifetimeSeconds);
        var ageAdd = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        var contents = new TlsTicketContents(RandomNumberGenerator.GetBytes(16), suite, options.Now, lifetime, ageAdd, tickets.AllowEarlyData,
            TlsKeySchedule.ResumptionPsk(suite, resumptionSecret, nonce), NegotiatedAlpn, RequestedServerName, options.EarlyDataContext);
        List<TlsExtension> extensions = tickets.AllowEarlyData ? [new TlsExtension(TlsExtensionType.EarlyData, [0xff, 0xff, 0xff, 0xff])] : [];
        Send(TlsEncryptionLevel.OneRtt, new NewSessionTicket(lifetime, ageAdd, nonce, tickets.Seal(contents), extensions));
    }
}
