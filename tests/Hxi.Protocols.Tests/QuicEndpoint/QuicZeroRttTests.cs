using System.Text;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Endpoint;
using Hxi.Protocols.Tls;
using QuicConnectionCore = Hxi.Protocols.Quic.Connection.QuicConnection;

namespace Hxi.Protocols.Tests.QuicEndpoint;

/// <summary>Resumption and 0-RTT between our client core and our server endpoint (RFC 9001 Sections 4.5 and 4.6, RFC 9000 Section 7.4.1).</summary>
public class QuicZeroRttTests
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET /early please");

    [Fact]
    public void Rfc9001_4_6_ResumedClient_Sends0Rtt_AndTheServerReadsItBeforeTheHandshakeCompletes()
    {
        var tickets = new TlsServerTickets();
        var tap = new PacketNotes();
        var harness = new EndpointHarness(o => o with { Connection = o.Connection with { SessionTickets = tickets }, ConnectionTap = _ => tap });
        var ticket = FirstTicket(harness);

        var (_, client) = harness.AddClient(o => o with { SessionTicket = ticket, EnableEarlyData = true });
        Assert.True(client.IsSendingEarlyData);
        var stream = client.OpenStream(bidirectional: true);
        client.WriteStream(stream, Request, fin: true);
        var server = Connection(harness, 1);
        var serverEvents = new List<QuicEvent>();

        Assert.True(harness.RunUntil(() => Drain(server, serverEvents).OfType<QuicHandshakeCompleted>().Any() && ClientSettled(client) is not null));

        Assert.Equal(TlsEarlyDataOutcome.Accepted, client.EarlyData);
        Assert.True(client.IsResumed);
        Assert.True(client.ZeroRttPackets > 0);
        Assert.Equal(TlsEarlyDataOutcome.Accepted, server.Connection.EarlyData);
        Assert.True(server.Connection.ZeroRttPackets > 0, string.Join("\n", tap.Notes));
        // The request was readable at the server before its handshake completed: it came in 0-RTT.
        var readable = serverEvents.FindIndex(e => e is QuicStreamReadable r && r.StreamId == stream);
        var completed = serverEvents.FindIndex(e => e is QuicHandshakeCompleted);
        Assert.InRange(readable, 0, completed - 1);
        Assert.Equal(Request, ReadAll(server.Connection, stream));
    }

    [Fact]
    public void Rfc8446_8_1_SecondUseOfATicket_0RttIsRejected_AndTheRequestArrivesIn1Rtt()
    {
        var tickets = new TlsServerTickets();
        var harness = new EndpointHarness(o => o with { Connection = o.Connection with { SessionTickets = tickets } });
        var ticket = FirstTicket(harness);
        Send0Rtt(harness, ticket);

        var (_, replay) = harness.AddClient(o => o with { SessionTicket = ticket, EnableEarlyData = true });
        var stream = replay.OpenStream(bidirectional: true);
        replay.WriteStream(stream, Request, fin: true);
        var server = Connection(harness, 2);

        Assert.True(harness.RunUntil(() => server.Connection.ReadableStreams().Contains(stream) && ClientSettled(replay) is not null));

        Assert.True(replay.ZeroRttPackets > 0);
        Assert.True(replay.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.Rejected, replay.EarlyData);
        Assert.Equal(0, server.Connection.ZeroRttPackets);
        Assert.Equal(Request, ReadAll(server.Connection, stream));
        Assert.Equal(1, tickets.EarlyDataClaimCount);
    }

    [Fact]
    public void Rfc9000_7_4_1_AServerWithLowerLimitsThanTheTicketRemembers_Rejects0Rtt()
    {
        var tickets = new TlsServerTickets();
        var generous = new EndpointHarness(o => o with { Connection = o.Connection with { SessionTickets = tickets } });
        var ticket = FirstTicket(generous);
        var stingy = new EndpointHarness(o => o with { Connection = o.Connection with { SessionTickets = tickets, InitialMaxData = 64 * 1024 } });

        var (_, client) = stingy.AddClient(o => o with { SessionTicket = ticket, EnableEarlyData = true });
        var stream = client.OpenStream(bidirectional: true);
        client.WriteStream(stream, Request, fin: true);
        var server = Connection(stingy, 0);

        Assert.True(stingy.RunUntil(() => server.Connection.ReadableStreams().Contains(stream) && ClientSettled(client) is not null));

        Assert.True(client.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.Rejected, client.EarlyData);
        Assert.Equal(Request, ReadAll(server.Connection, stream));
        Assert.Equal(0, tickets.EarlyDataClaimCount);
    }

    [Fact]
    public void Rfc9001_4_6_AServerWithoutTickets_DropsThe0Rtt_AndTheClientResendsIt()
    {
        var ticket = FirstTicket(new EndpointHarness(o => o with { Connection = o.Connection with { SessionTickets = new TlsServerTickets() } }));
        var plain = new EndpointHarness();

        var (_, client) = plain.AddClient(o => o with { SessionTicket = ticket, EnableEarlyData = true });
        var stream = client.OpenStream(bidirectional: true);
        client.WriteStream(stream, Request, fin: true);
        var server = Connection(plain, 0);

        Assert.True(plain.RunUntil(() => server.Connection.ReadableStreams().Contains(stream) && ClientSettled(client) is not null));

        Assert.False(client.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.Rejected, client.EarlyData);
        Assert.Equal(Request, ReadAll(server.Connection, stream));
        Assert.True(server.Connection.Statistics.PacketsDropped > 0);
    }

    [Fact]
    public void ResumptionWithout0Rtt_OpensNoStreamBeforeTheHandshake()
    {
        var tickets = new TlsServerTickets();
        var harness = new EndpointHarness(o => o with { Connection = o.Connection with { SessionTickets = tickets } });
        var ticket = FirstTicket(harness);

        var (_, client) = harness.AddClient(o => o with { SessionTicket = ticket });

        Assert.False(client.IsSendingEarlyData);
        Assert.False(client.CanOpenStream(bidirectional: true));
        Assert.True(harness.RunUntil(() => ClientSettled(client) is not null));
        Assert.True(client.IsResumed);
        Assert.Equal(TlsEarlyDataOutcome.NotOffered, client.EarlyData);
        Assert.Equal(0, client.ZeroRttPackets);
    }

    private sealed class PacketNotes : Hxi.Protocols.Trace.IWireTap
    {
        public List<string> Notes { get; } = [];

        public void Record(in Hxi.Protocols.Trace.WireRecord record)
        {
            if (record.Decoded is QuicPacketTrace trace)
            {
                Notes.Add($"{record.Direction} {trace.Type} {trace.PacketNumber} {trace.Note}");
            }
        }
    }

    private static TlsSessionTicket FirstTicket(EndpointHarness harness)
    {
        var (_, client) = harness.AddClient();
        QuicSessionTicketReceived? received = null;
        Assert.True(harness.RunUntil(() =>
        {
            while (client.TryPollEvent(out var e))
            {
                received ??= e as QuicSessionTicketReceived;
            }

            return received is not null;
        }));
        Assert.False(client.IsResumed);
        Assert.NotNull(received!.Ticket.PeerTransportParameters);
        return received.Ticket;
    }

    private static void Send0Rtt(EndpointHarness harness, TlsSessionTicket ticket)
    {
        var (_, client) = harness.AddClient(o => o with { SessionTicket = ticket, EnableEarlyData = true });
        client.WriteStream(client.OpenStream(bidirectional: true), Request, fin: true);
        Assert.True(harness.RunUntil(() => ClientSettled(client) is not null));
        Assert.Equal(TlsEarlyDataOutcome.Accepted, client.EarlyData);
    }

    private static QuicEndpointConnection Connection(EndpointHarness harness, int index)
    {
        harness.RunUntil(() => harness.Events.OfType<QuicConnectionAccepted>().Count() > index, TimeSpan.FromSeconds(1));
        return harness.Events.OfType<QuicConnectionAccepted>().ElementAt(index).Connection;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<QuicConnectionCore, List<QuicEvent>> ClientEvents = [];

    private static QuicResumptionSettled? ClientSettled(QuicConnectionCore client) =>
        Drain(client, ClientEvents.GetOrCreateValue(client)).OfType<QuicResumptionSettled>().FirstOrDefault();

    private static List<QuicEvent> Drain(QuicEndpointConnection connection, List<QuicEvent> into) => Drain(connection.Connection, into);

    private static List<QuicEvent> Drain(QuicConnectionCore connection, List<QuicEvent> into)
    {
        while (connection.TryPollEvent(out var e))
        {
            into.Add(e);
        }

        return into;
    }

    private static byte[] ReadAll(QuicConnectionCore connection, long stream)
    {
        var buffer = new byte[4096];
        var length = connection.ReadStream(stream, buffer, out var finished);
        Assert.True(finished);
        return buffer[..length];
    }
}
