using Hxi.Protocols.Tls;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Tests.Tls;

/// <summary>Resumption and 0-RTT between our client and server cores (RFC 9846 Sections 2.2, 4.2.10, 4.2.11, 4.6.1, 8.1).</summary>
public class TlsResumptionTests
{
    private static readonly TlsServerOptions Server = TlsPair.DefaultServer() with { EarlyDataContext = [1, 2, 3] };

    [Fact]
    public void Section2_2_TicketFromAFullHandshake_ResumesWithoutCertificate_And0RttIsAccepted()
    {
        var tickets = new TlsServerTickets();
        var session = FirstSession(tickets);

        var pair = new TlsPair(TlsPair.DefaultClient() with { Resumption = session, OfferEarlyData = true }, Server with { Tickets = tickets });
        pair.Run();

        Assert.True(pair.Client.IsResumed);
        Assert.True(pair.Server.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.Accepted, pair.Client.EarlyData);
        Assert.Equal(TlsEarlyDataOutcome.Accepted, pair.Server.EarlyData);
        Assert.DoesNotContain(pair.ClientObserver.Messages, m => m.Message is CertificateMessage or CertificateVerify);
        var clientEarly = Assert.Single(pair.ClientEvents.OfType<TlsEarlySecretAvailable>());
        var serverEarly = Assert.Single(pair.ServerEvents.OfType<TlsEarlySecretAvailable>());
        Assert.Equal(clientEarly.Secret, serverEarly.Secret);
        Assert.Contains(pair.ClientObserver.KeyLog, line => line.StartsWith("CLIENT_EARLY_TRAFFIC_SECRET ", StringComparison.Ordinal));
        var completed = Assert.Single(pair.ClientEvents.OfType<TlsHandshakeCompleted>());
        Assert.True(completed.Resumed);
        Assert.Equal(TlsEarlyDataOutcome.Accepted, completed.EarlyData);
        // A resumed connection gets a fresh ticket of its own.
        Assert.NotNull(Assert.Single(pair.ClientEvents.OfType<TlsSessionTicketReceived>()).Session);
    }

    [Fact]
    public void Section8_1_SecondUseOfATicket_Resumes_But0RttIsRefused()
    {
        var tickets = new TlsServerTickets();
        var session = FirstSession(tickets);
        new TlsPair(TlsPair.DefaultClient() with { Resumption = session, OfferEarlyData = true }, Server with { Tickets = tickets }).Run();

        var replay = new TlsPair(TlsPair.DefaultClient() with { Resumption = session, OfferEarlyData = true }, Server with { Tickets = tickets });
        replay.Run();

        Assert.True(replay.Client.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.Rejected, replay.Client.EarlyData);
        Assert.Equal(TlsEarlyDataOutcome.Rejected, replay.Server.EarlyData);
        Assert.Empty(replay.ServerEvents.OfType<TlsEarlySecretAvailable>());
        Assert.Equal(1, tickets.EarlyDataClaimCount);
    }

    [Fact]
    public void ResumptionWithout0Rtt_SpendsNoAntiReplayClaim()
    {
        var tickets = new TlsServerTickets();
        var session = FirstSession(tickets);

        var pair = new TlsPair(TlsPair.DefaultClient() with { Resumption = session }, Server with { Tickets = tickets });
        pair.Run();

        Assert.True(pair.Client.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.NotOffered, pair.Client.EarlyData);
        Assert.Empty(pair.ClientEvents.OfType<TlsEarlySecretAvailable>());
        Assert.Equal(0, tickets.EarlyDataClaimCount);
    }

    [Fact]
    public void RFC9000_7_4_1_ChangedEarlyDataContext_Rejects0Rtt_ButResumes()
    {
        var tickets = new TlsServerTickets();
        var session = FirstSession(tickets);

        var pair = new TlsPair(TlsPair.DefaultClient() with { Resumption = session, OfferEarlyData = true }, Server with { Tickets = tickets, EarlyDataContext = [9] });
        pair.Run();

        Assert.True(pair.Client.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.Rejected, pair.Client.EarlyData);
        Assert.Equal(0, tickets.EarlyDataClaimCount);
    }

    [Fact]
    public void ATicketFromAnotherServerKey_FallsBackToAFullHandshake()
    {
        var session = FirstSession(new TlsServerTickets());

        var pair = new TlsPair(TlsPair.DefaultClient() with { Resumption = session, OfferEarlyData = true }, Server with { Tickets = new TlsServerTickets() });
        pair.Run();

        Assert.False(pair.Client.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.Rejected, pair.Client.EarlyData);
        Assert.Contains(pair.ClientObserver.Messages, m => m.Message is CertificateMessage);
    }

    [Fact]
    public void Section4_2_11_AWrongBinder_IsDecryptError()
    {
        var tickets = new TlsServerTickets();
        var session = FirstSession(tickets);
        var pair = new TlsPair(TlsPair.DefaultClient() with { Resumption = session }, Server with { Tickets = tickets })
        {
            Tamper = (fromClient, level, bytes) =>
            {
                if (fromClient && level == TlsEncryptionLevel.Initial)
                {
                    bytes[^1] ^= 1;
                }

                return bytes;
            },
        };

        var alert = Assert.Throws<TlsAlertException>(pair.Run);

        Assert.Equal(TlsAlertDescription.DecryptError, alert.Alert);
    }

    [Fact]
    public void AnExpiredTicket_IsNotOffered()
    {
        var tickets = new TlsServerTickets();
        var session = FirstSession(tickets);
        var later = TlsPair.DefaultClient().Now + TimeSpan.FromSeconds(session.LifetimeSeconds + 1);

        var pair = new TlsPair(TlsPair.DefaultClient() with { Resumption = session, OfferEarlyData = true, Now = later, CustomRoots = null, Insecure = true }, Server with { Tickets = tickets });
        pair.Run();

        Assert.Null(pair.Client.OfferedTicket);
        Assert.False(pair.Client.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.NotOffered, pair.Client.EarlyData);
    }

    [Fact]
    public void ATicketReceivedAheadOfTheClientsClock_IsOffered_WithAgeZero_AndResumes()
    {
        // A connection dates its ticket by its start time plus monotonic time; the next connection's wall clock can
        // read a few milliseconds earlier (or the clock stepped back). That ticket is young, not unusable.
        var tickets = new TlsServerTickets();
        var session = FirstSession(tickets);
        var early = session with { ReceivedAt = TlsPair.DefaultClient().Now + TimeSpan.FromMilliseconds(40) };

        var pair = new TlsPair(TlsPair.DefaultClient() with { Resumption = early, OfferEarlyData = true }, Server with { Tickets = tickets });
        pair.Run();

        Assert.Same(early, pair.Client.OfferedTicket);
        Assert.Equal(early.AgeAdd, early.ObfuscatedAgeAt(TlsPair.DefaultClient().Now));
        Assert.True(pair.Client.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.Accepted, pair.Client.EarlyData);
    }

    [Fact]
    public void Section4_2_9_AFirstClientHello_ListsPskDheKe_SoTheServerIssuesATicketItCanRedeem()
    {
        // Go's TLS server (Caddy) seals a ticket without its resumption secret when the client listed no modes.
        var pair = new TlsPair(server: Server with { Tickets = new TlsServerTickets() });
        pair.Run();

        var hello = Assert.IsType<ClientHello>(pair.ClientObserver.Messages.First(m => m.Message is ClientHello).Message);
        Assert.Null(hello.PreSharedKey);
        Assert.Equal([PskKeyExchangeModesExtension.PskDheKe], Assert.IsType<byte[]>(hello.PskModes));
        Assert.Single(pair.ClientEvents.OfType<TlsSessionTicketReceived>());
    }

    [Fact]
    public void ATicketForAnotherServerName_IsNotOffered()
    {
        var tickets = new TlsServerTickets();
        var session = FirstSession(tickets) with { ServerName = "elsewhere.example" };

        var pair = new TlsPair(TlsPair.DefaultClient() with { Resumption = session }, Server with { Tickets = tickets });
        pair.Run();

        Assert.Null(pair.Client.OfferedTicket);
    }

    [Fact]
    public void Section4_6_1_IssuedTicket_CarriesEarlyDataForQuic_AndOpensToItsContents()
    {
        var tickets = new TlsServerTickets();
        var pair = new TlsPair(server: Server with { Tickets = tickets, Now = TimeSpan.FromSeconds(5) });
        pair.Run();

        var received = Assert.Single(pair.ClientEvents.OfType<TlsSessionTicketReceived>());
        Assert.Equal(uint.MaxValue, received.Ticket.MaxEarlyDataSize);
        Assert.True(received.Session!.AllowsEarlyData);
        Assert.True(tickets.TryOpen(received.Ticket.Ticket, out var contents));
        Assert.Equal(received.Session.Psk, contents!.Psk);
        Assert.Equal(received.Ticket.AgeAdd, contents.AgeAdd);
        Assert.Equal("h3", contents.ApplicationProtocol);
        Assert.Equal("localhost", contents.ServerName);
        Assert.Equal(TimeSpan.FromSeconds(5), contents.IssuedAt);
        Assert.Equal(new byte[] { 1, 2, 3 }, contents.EarlyDataContext);
    }

    [Fact]
    public void SealedTicket_RoundTrips_AndAnyFlippedBitFailsToOpen()
    {
        var tickets = new TlsServerTickets();
        var contents = new TlsTicketContents(new byte[16], TlsCipherSuite.Aes256GcmSha384, TimeSpan.FromMilliseconds(1234), 7200, 42, true,
            Enumerable.Range(0, 48).Select(i => (byte)i).ToArray(), "h3", "example.com", [7, 8]);

        var sealedTicket = tickets.Seal(contents);

        Assert.True(tickets.TryOpen(sealedTicket, out var opened));
        Assert.Equal(contents.Encode(), opened!.Encode());
        for (var i = 0; i < sealedTicket.Length; i += 7)
        {
            var damaged = sealedTicket.ToArray();
            damaged[i] ^= 0x40;
            Assert.False(tickets.TryOpen(damaged, out _));
        }

        Assert.False(new TlsServerTickets().TryOpen(sealedTicket, out _));
        Assert.False(tickets.TryOpen(sealedTicket.AsSpan(0, 20), out _));
    }

    [Fact]
    public void Section8_1_AFullAntiReplayTable_RefusesUntilAClaimExpires()
    {
        var tickets = new TlsServerTickets { MaxEarlyDataClaims = 1 };
        var first = Ticket(lifetime: 10);
        var second = Ticket(lifetime: 10);

        Assert.True(tickets.TryClaimEarlyData(first, TimeSpan.Zero));
        Assert.False(tickets.TryClaimEarlyData(first, TimeSpan.Zero));
        Assert.False(tickets.TryClaimEarlyData(second, TimeSpan.FromSeconds(5)));
        Assert.True(tickets.TryClaimEarlyData(second, TimeSpan.FromSeconds(11)));
        Assert.False(tickets.TryClaimEarlyData(second, TimeSpan.FromSeconds(12)));
    }

    [Fact]
    public void ResumedHandshake_FedOneByteAtATime_Completes()
    {
        var tickets = new TlsServerTickets();
        var session = FirstSession(tickets);

        var pair = new TlsPair(TlsPair.DefaultClient() with { Resumption = session, OfferEarlyData = true }, Server with { Tickets = tickets }) { OneByteAtATime = true };
        pair.Run();

        Assert.True(pair.Client.IsHandshakeComplete);
        Assert.True(pair.Server.IsHandshakeComplete);
        Assert.Equal(TlsEarlyDataOutcome.Accepted, pair.Server.EarlyData);
    }

    [Fact]
    public void ResumptionAfterHelloRetryRequest_RebindsThePsk_AndDrops0Rtt()
    {
        var tickets = new TlsServerTickets();
        var session = FirstSession(tickets);

        var pair = new TlsPair(
            TlsPair.DefaultClient() with { Resumption = session, OfferEarlyData = true, Groups = [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1] },
            Server with { Tickets = tickets, Groups = [TlsNamedGroup.Secp256r1] });
        pair.Run();

        Assert.Contains(pair.ClientObserver.Messages, m => m.Direction == WireDirection.Received && m.Message is HelloRetryRequest);
        Assert.True(pair.Client.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.Rejected, pair.Client.EarlyData);
        Assert.Equal(0, tickets.EarlyDataClaimCount);
    }

    private static TlsSessionTicket FirstSession(TlsServerTickets tickets)
    {
        var pair = new TlsPair(server: Server with { Tickets = tickets });
        pair.Run();
        Assert.False(pair.Client.IsResumed);
        return Assert.Single(pair.ClientEvents.OfType<TlsSessionTicketReceived>()).Session!;
    }

    private static TlsTicketContents Ticket(uint lifetime) =>
        new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16), TlsCipherSuite.Aes128GcmSha256, TimeSpan.Zero, lifetime, 0, true, new byte[32], "h3", null, []);
}
