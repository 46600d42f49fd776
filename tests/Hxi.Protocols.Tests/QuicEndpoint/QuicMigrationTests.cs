using System.Net;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Endpoint;
using Hxi.Protocols.Quic.Frames;
using QuicConnectionCore = Hxi.Protocols.Quic.Connection.QuicConnection;

namespace Hxi.Protocols.Tests.QuicEndpoint;

/// <summary>Connection migration and NAT rebinding (RFC 9000 Section 9) between a client core and the server endpoint.</summary>
public class QuicMigrationTests
{
    [Fact]
    public void Rfc9000_9_3_ClientPortRebinds_MidTransfer_TheServerValidatesTheNewPath_AndTheTransferCompletes()
    {
        var harness = new EndpointHarness();
        var (address, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed));
        var server = Accepted(harness);
        var (id, body, received) = StartDownload(harness, client, server, 400_000);
        var finished = false;
        Assert.True(harness.RunUntil(() => StreamReading.ReadAvailable(client, id, received, ref finished) || received.Count > 100_000), $"first: {received.Count}");

        // A NAT gives the client a new port: nothing in the client changes, its packets just arrive from elsewhere.
        var rebound = new IPEndPoint(address.Address, address.Port + 1000);
        Move(harness, address, rebound);
        // The NAT shows the new port when the client next sends (here a PING; in a download, its next ACK).
        client.SendPing();
        Assert.True(harness.RunUntil(() => StreamReading.ReadAvailable(client, id, received, ref finished)), $"after the move: {received.Count} of {body.Length}, remote={server.Remote} changes={harness.Server.Statistics.PathChanges} validated={server.Connection.IsPathValidated}");

        Assert.Equal(body, received);
        Assert.Equal(rebound, server.Remote);
        var migrated = Assert.Single(harness.Events.OfType<QuicConnectionMigrated>());
        Assert.Equal(address, migrated.From);
        Assert.Equal(1, harness.Server.Statistics.PathChanges);
        Assert.True(server.Connection.IsPathValidated);
        Assert.Equal(1, server.Connection.PathChanges);
        Assert.Equal(rebound, harness.ServerSent[^1].To);
    }

    [Fact]
    public void Rfc9000_9_5_ClientMigratesDeliberately_OnANewConnectionId_AndBothEndsValidate()
    {
        var harness = new EndpointHarness();
        var (address, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed && client.PeerConnectionIds.Count > 1));
        var server = Accepted(harness);
        var oldDestination = client.DestinationConnectionId.ToArray();
        var events = new List<QuicEvent>();

        var moved = new IPEndPoint(IPAddress.Parse("192.0.2.99"), 5555);
        Move(harness, address, moved);
        Assert.True(client.MigrateToNewPath(harness.Now, portOnly: false));
        Assert.True(harness.RunUntil(() =>
        {
            while (client.TryPollEvent(out var e))
            {
                events.Add(e);
            }

            return events.OfType<QuicPathValidated>().Any() && server.Connection.IsPathValidated && server.Remote.Equals(moved);
        }));

        Assert.NotEqual(oldDestination, client.DestinationConnectionId.ToArray());
        var changed = Assert.Single(events.OfType<QuicPathChanged>());
        Assert.False(changed.ByPeer);
        Assert.True(changed.NewConnectionId);
        Assert.True(changed.CongestionReset);
        Assert.True(client.IsPathValidated);
        AssertStillWorks(harness, client, server);
    }

    [Fact]
    public void Rfc9000_9_BeforeTheHandshakeIsConfirmed_TheClientDoesNotMigrate()
    {
        var harness = new EndpointHarness();
        var (_, client) = harness.AddClient();
        Assert.False(client.MigrateToNewPath(harness.Now, portOnly: true));
        Assert.Equal(0, client.PathChanges);
    }

    [Fact]
    public void Rfc9000_9_3_OnTheUnvalidatedPath_TheServerSendsAtMostThreeTimesWhatItReceivedThere()
    {
        var harness = new EndpointHarness();
        var (address, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed));
        var server = Accepted(harness);
        // The server has half a megabyte to send when the client's next packet comes from a new address.
        var id = client.OpenStream(bidirectional: true);
        client.WriteStream(id, "GET"u8, fin: true);
        Assert.True(harness.RunUntil(() => server.Connection.ReadStream(id, new byte[16], out _) > 0));
        server.Connection.WriteStream(id, new byte[500_000], fin: true);

        var ping = new byte[1500];
        client.SendPing();
        var length = client.WriteDatagram(ping, harness.Now);
        Assert.True(length > 0);
        var moved = new IPEndPoint(address.Address, address.Port + 1);
        var before = (server.Connection.Statistics.PacketsReceived, server.Connection.Statistics.PacketsDropped, harness.Server.Statistics.DatagramsDropped);
        harness.Inject(ping[..length], moved);
        Assert.True(moved.Equals(server.Remote), $"before={before} after=({server.Connection.Statistics.PacketsReceived}, {server.Connection.Statistics.PacketsDropped}, {harness.Server.Statistics.DatagramsDropped}) first={ping[0]:x2} length={length} terminated={server.Connection.IsTerminated} complete={server.Connection.IsHandshakeComplete}");
        var sent = harness.FlushServer().Where(d => d.To.Equals(moved)).Sum(d => d.Datagram.Length);

        Assert.Equal(moved, server.Remote);
        Assert.False(server.Connection.IsPathValidated);
        Assert.InRange(sent, 1, 3 * length);
    }

    [Fact]
    public void Rfc9000_9_3_2_WhenTheNewAddressNeverAnswersTheChallenge_TheServerGoesBackToTheLastValidatedAddress()
    {
        var harness = new EndpointHarness();
        var (address, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed));
        var server = Accepted(harness);

        // One authenticated packet arrives from a new port, and nothing more comes from there (no PATH_RESPONSE).
        var moved = new IPEndPoint(address.Address, address.Port + 1);
        Move(harness, address, moved);
        harness.DropToServer = (from, _) => from.Equals(moved) && server.Remote.Equals(moved);
        var ping = new byte[1500];
        client.SendPing();
        var length = client.WriteDatagram(ping, harness.Now);
        harness.Inject(ping[..length], moved);
        Assert.Equal(moved, server.Remote);
        Assert.False(server.Connection.IsPathValidated);

        Assert.True(harness.RunUntil(() => server.Connection.PathValidationFailures > 0, TimeSpan.FromSeconds(10)));

        Assert.Equal(address, server.Remote);
        Assert.Equal(address, server.ValidatedRemote);
        Assert.True(server.Connection.IsPathValidated);
        Assert.False(server.Connection.IsTerminated);
        var back = harness.Events.OfType<QuicConnectionMigrated>().Last();
        Assert.Equal((moved, address), (back.From, back.To));
    }

    [Fact]
    public void Rfc9000_9_4_WhenANewClientAddressFailsValidation_TheServerGoesBackWithTheOldPathsWindowAndRtt()
    {
        var harness = new EndpointHarness();
        var (address, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed));
        var server = Accepted(harness);
        var (id, body, received) = StartDownload(harness, client, server, 200_000);
        var finished = false;
        Assert.True(harness.RunUntil(() => StreamReading.ReadAvailable(client, id, received, ref finished)));
        Assert.True(harness.RunUntil(() => server.Connection.BytesInFlight == 0));
        var (window, rtt) = (server.Connection.CongestionWindow, server.Connection.Rtt.SmoothedRtt);
        Assert.True(window > 14_720 && server.Connection.Rtt.HasSample);

        // One authenticated packet from a new address (not just a new port), then nothing more from there.
        var moved = new IPEndPoint(IPAddress.Parse("198.51.100.77"), address.Port);
        Move(harness, address, moved);
        harness.DropToServer = (from, _) => from.Equals(moved);
        var ping = new byte[1500];
        client.SendPing();
        var length = client.WriteDatagram(ping, harness.Now);
        harness.Inject(ping[..length], moved);
        Assert.Equal(moved, server.Remote);
        Assert.True(server.Connection.CongestionWindow < window);
        Assert.False(server.Connection.Rtt.HasSample);

        Assert.True(harness.RunUntil(() => server.Connection.PathValidationFailures > 0, TimeSpan.FromSeconds(10)));

        Assert.Equal(address, server.Remote);
        Assert.Equal(window, server.Connection.CongestionWindow);
        Assert.Equal(rtt, server.Connection.Rtt.SmoothedRtt);
        Assert.True(server.Connection.Rtt.HasSample);
    }

    [Fact]
    public void Rfc9000_9_APacketThatDoesNotAuthenticate_FromANewAddress_MovesNothing()
    {
        var harness = new EndpointHarness();
        var (address, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed));
        var server = Accepted(harness);

        var forged = new byte[60];
        forged[0] = 0x40;
        server.Connection.SourceConnectionId.Span.CopyTo(forged.AsSpan(1));
        harness.Inject(forged, new IPEndPoint(IPAddress.Parse("203.0.113.5"), 4444));

        Assert.Equal(address, server.Remote);
        Assert.Empty(harness.Events.OfType<QuicConnectionMigrated>());
        Assert.True(server.Connection.IsPathValidated);
    }

    private static QuicEndpointConnection Accepted(EndpointHarness harness) =>
        Assert.Single(harness.Events.OfType<QuicConnectionAccepted>()).Connection;

    private static void Move(EndpointHarness harness, IPEndPoint from, IPEndPoint to)
    {
        var client = harness.Clients[from];
        harness.Clients.Remove(from);
        harness.Clients[to] = client;
    }

    private static (long Id, byte[] Body, List<byte> Received) StartDownload(EndpointHarness harness, QuicConnectionCore client, QuicEndpointConnection server, int size)
    {
        var id = client.OpenStream(bidirectional: true);
        client.WriteStream(id, "GET"u8, fin: true);
        Assert.True(harness.RunUntil(() => server.Connection.ReadStream(id, new byte[16], out var fin) > 0 || fin));
        var body = new byte[size];
        new Random(9).NextBytes(body);
        server.Connection.WriteStream(id, body, fin: true);
        harness.Server.Wake(server, harness.Now);
        return (id, body, []);
    }

    private static void AssertStillWorks(EndpointHarness harness, QuicConnectionCore client, QuicEndpointConnection server)
    {
        var id = client.OpenStream(bidirectional: true);
        client.WriteStream(id, "after"u8, fin: true);
        var buffer = new byte[16];
        var got = 0;
        Assert.True(harness.RunUntil(() => (got += server.Connection.ReadStream(id, buffer.AsSpan(got), out _)) == 5));
        Assert.Equal("after"u8.ToArray(), buffer[..5]);
    }
}
