using System.Net;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Endpoint;
using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Tests.QuicConnection;
using QuicConnectionCore = Hxi.Protocols.Quic.Connection.QuicConnection;

namespace Hxi.Protocols.Tests.QuicEndpoint;

/// <summary>The server's preferred address (RFC 9000 Sections 5.1.1, 9.6, 18.2) between a client core and the server endpoint.</summary>
public class QuicPreferredAddressTests
{
    private static readonly IPEndPoint Preferred = PreferredAddressHarness.Preferred;

    [Fact]
    public void Rfc9000_5_1_1_ThePreferredAddressCarriesSequence1_WhichTheEndpointRoutes_AndNewConnectionIdGoesOnFrom2()
    {
        var harness = new PreferredAddressHarness(client => client with { UsePreferredAddress = false });
        Assert.True(harness.RunUntil(() => harness.Client.IsHandshakeConfirmed && harness.Client.PeerConnectionIds.Count > 2));
        var server = harness.Accepted.Connection;

        var offered = harness.Client.PeerParameters!.PreferredAddress!;
        Assert.Equal(Preferred, offered.IPv4);
        // Section 18.2: the family not configured is all zeros, address and port.
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 0), offered.IPv6);
        Assert.Equal(offered.ConnectionId, server.LocalConnectionIds[1].ToArray());
        Assert.True(harness.Server.Routes(offered.ConnectionId));
        Assert.Equal(offered.ConnectionId, harness.Client.PeerConnectionIds[1].ToArray());
        // NEW_CONNECTION_ID numbering continues after the preferred address's ID.
        Assert.Equal(Enumerable.Range(0, server.LocalConnectionIds.Count).Select(i => (ulong)i), server.LocalConnectionIds.Keys.Order());
        Assert.True(server.LocalConnectionIds.Count > 2);
    }

    [Fact]
    public void Rfc9000_9_6_2_APacketToTheSequence1ConnectionId_AtThePreferredSocket_ReachesTheConnection()
    {
        var harness = new PreferredAddressHarness(client => client with { UsePreferredAddress = false });
        Assert.True(harness.RunUntil(() => harness.Client.IsHandshakeConfirmed));
        var connection = harness.Accepted;
        var id = harness.Client.PeerParameters!.PreferredAddress!.ConnectionId;
        var packet = new byte[60];
        packet[0] = 0x40;
        id.CopyTo(packet.AsSpan(1));

        // It does not decrypt, but it is routed to the connection (which drops it) rather than answered with a stateless reset.
        var reached = harness.Server.ReceiveDatagram(packet, PreferredAddressHarness.ClientSecond, atPreferredAddress: true, harness.Now);

        Assert.Same(connection, reached);
        Assert.Equal(0, harness.Server.Statistics.StatelessResetsSent);
    }

    [Fact]
    public void Rfc9000_9_6_1_TheClientProbesThePreferredAddress_MovesThereOnSequence1_AndTheDownloadCompletesFromThere()
    {
        var harness = new PreferredAddressHarness();
        Assert.True(harness.RunUntil(() => harness.Client.IsHandshakeConfirmed));
        var server = harness.Accepted;
        var offered = harness.Client.PeerParameters!.PreferredAddress!;
        var (id, body) = StartDownload(harness, server, 300_000);
        var received = new List<byte>();
        var finished = false;
        Assert.True(harness.RunUntil(() => StreamReading.ReadAvailable(harness.Client, id, received, ref finished) || received.Count > 50_000));

        Assert.True(harness.Client.ProbePreferredAddress(harness.Now, portOnly: false));
        Assert.True(harness.RunUntil(() => harness.ClientMoved));
        // Section 9.6.2: the server moves on the client's first non-probing packet at the preferred address.
        Assert.True(harness.RunUntil(() => server.AtPreferredAddress));
        var sentBeforeMove = harness.ServerSent.Count;
        Assert.True(harness.RunUntil(() => StreamReading.ReadAvailable(harness.Client, id, received, ref finished)), $"{received.Count} of {body.Length}");

        Assert.Equal(body, received);
        Assert.Equal(offered.ConnectionId, harness.Client.DestinationConnectionId.ToArray());
        Assert.Equal(1UL, harness.Client.DestinationSequenceNumber);
        Assert.True(server.AtPreferredAddress);
        Assert.Equal(PreferredAddressHarness.ClientSecond, server.Remote);
        Assert.True(harness.ReceivedAtPreferred > 0);
        // From then on everything leaves from the preferred address, to the client's new socket.
        Assert.All(harness.ServerSent.Skip(sentBeforeMove), sent => Assert.True(sent.FromPreferred && sent.To.Equals(PreferredAddressHarness.ClientSecond)));
        Assert.Contains(harness.ClientEvents, e => e is QuicPathChanged { ByPeer: false, NewConnectionId: true, CongestionReset: true });
        Assert.True(server.Connection.IsPathValidated);
        Assert.False(server.Connection.IsProbingPath);
        var moved = Assert.Single(harness.ServerEvents.OfType<QuicConnectionMigrated>());
        Assert.True(moved.AtPreferredAddress);
        AssertStillWorks(harness, server);
    }

    [Fact]
    public void Rfc9000_9_6_2_AfterTheValidatedMove_APacketAtTheOriginalAddress_IsDropped_AndMovesNothingBack()
    {
        var harness = new PreferredAddressHarness();
        Assert.True(harness.RunUntil(() => harness.Client.IsHandshakeConfirmed));
        var server = harness.Accepted;
        Assert.True(harness.Client.ProbePreferredAddress(harness.Now, portOnly: false));
        Assert.True(harness.RunUntil(() => server.AtPreferredAddress && server.ValidatedAtPreferredAddress));
        var migrations = harness.ServerEvents.OfType<QuicConnectionMigrated>().Count();

        // A genuine non-probing packet of the client's, with a new largest packet number, delivered to the old address.
        harness.Client.SendPing();
        var buffer = new byte[1500];
        var length = harness.Client.WriteDatagram(buffer, harness.Now);
        Assert.True(length > 0);
        var dropped = harness.Server.Statistics.DatagramsDropped;
        var received = server.Connection.Statistics.PacketsReceived;
        harness.Server.ReceiveDatagram(buffer.AsSpan(0, length), PreferredAddressHarness.ClientFirst, atPreferredAddress: false, harness.Now);

        Assert.Equal(dropped + 1, harness.Server.Statistics.DatagramsDropped);
        Assert.Equal(received, server.Connection.Statistics.PacketsReceived);
        Assert.True(server.AtPreferredAddress);
        Assert.Equal(PreferredAddressHarness.ClientSecond, server.Remote);
        Assert.Equal(migrations, harness.ServerEvents.OfType<QuicConnectionMigrated>().Count());
        AssertStillWorks(harness, server);
    }

    [Fact]
    public void Rfc9000_21_5_3_BeforeThePreferredAddressAnswers_TheClientSendsItOnlyProbingPackets()
    {
        var harness = new PreferredAddressHarness();
        Assert.True(harness.RunUntil(() => harness.Client.IsHandshakeConfirmed));
        var server = harness.Accepted;
        Assert.True(harness.Client.ProbePreferredAddress(harness.Now, portOnly: false));
        var buffer = new byte[2048];

        var length = harness.Client.WriteProbeDatagram(buffer, harness.Now);

        // A 1200-byte datagram (Section 8.2.1) whose only frames are PATH_CHALLENGE and PADDING: the server does not move.
        Assert.InRange(length, 1200, 1300);
        Assert.Equal(0, harness.Client.WriteProbeDatagram(buffer, harness.Now));
        var before = server.Connection.LargestNonProbingPacketNumber;
        harness.Server.ReceiveDatagram(buffer[..length], PreferredAddressHarness.ClientSecond, atPreferredAddress: true, harness.Now);
        Assert.Equal(before, server.Connection.LargestNonProbingPacketNumber);
        Assert.False(server.AtPreferredAddress);
        Assert.Equal(PreferredAddressHarness.ClientSecond, server.ProbeRemote);
        Assert.True(server.Connection.IsProbingPath);

        // The server answers (and challenges back) on the probed path only, from the preferred socket.
        var answer = new byte[2048];
        var answered = harness.Server.WriteDatagram(answer, harness.Now, out var to, out var fromPreferred, out _);
        Assert.InRange(answered, 1200, 1300);
        Assert.True(fromPreferred);
        Assert.Equal(PreferredAddressHarness.ClientSecond, to);
    }

    [Fact]
    public void Rfc9000_9_6_1_APreferredAddressThatNeverAnswers_TheClientStaysOnTheOriginalPath_AndRetiresSequence1()
    {
        var harness = new PreferredAddressHarness { PreferredUnreachable = true };
        Assert.True(harness.RunUntil(() => harness.Client.IsHandshakeConfirmed && harness.Client.PeerConnectionIds.Count > 2));
        var server = harness.Accepted;
        var original = harness.Client.DestinationConnectionId.ToArray();

        Assert.True(harness.Client.ProbePreferredAddress(harness.Now, portOnly: false));
        Assert.True(harness.RunUntil(() => harness.ClientEvents.OfType<QuicPathProbeFailed>().Any(), TimeSpan.FromSeconds(10)));

        Assert.False(harness.ClientMoved);
        Assert.False(harness.Client.IsProbingPath);
        Assert.Equal(original, harness.Client.DestinationConnectionId.ToArray());
        Assert.False(harness.Client.PeerConnectionIds.ContainsKey(1));
        Assert.Equal(0, harness.Client.PathChanges);
        Assert.False(harness.Client.ProbePreferredAddress(harness.Now, portOnly: false));
        AssertStillWorks(harness, server);
        // Section 9.5: the ID seen on the abandoned path is retired, so the server no longer routes it.
        Assert.True(harness.RunUntil(() => !harness.Server.Routes(harness.Client.PeerParameters!.PreferredAddress!.ConnectionId)));
        Assert.All(harness.ServerSent, sent => Assert.False(sent.FromPreferred));
    }

    [Fact]
    public void Rfc9000_18_2_DisableActiveMigration_DoesNotStopTheMoveToThePreferredAddress_NorLaterMigrationsFromThere()
    {
        var harness = new PreferredAddressHarness(server: options => options with
        {
            RewriteTransportParameters = parameters => parameters with { DisableActiveMigration = true },
        });
        Assert.True(harness.RunUntil(() => harness.Client.IsHandshakeConfirmed && harness.Client.PeerConnectionIds.Count > 2));
        var server = harness.Accepted;
        Assert.True(harness.Client.PeerParameters!.DisableActiveMigration);

        Assert.True(harness.Client.ProbePreferredAddress(harness.Now, portOnly: false));
        Assert.True(harness.RunUntil(() => harness.ClientMoved && server.AtPreferredAddress));
        var atPreferred = harness.Client.DestinationConnectionId.ToArray();

        // Section 9: having acted on preferred_address, the client may migrate again, on a fresh connection ID.
        Assert.True(harness.Client.MigrateToNewPath(harness.Now, portOnly: true));
        Assert.NotEqual(atPreferred, harness.Client.DestinationConnectionId.ToArray());
        Assert.Contains(harness.ClientEvents, e => e is QuicPathChanged { NewConnectionId: true, Description: "moved to the server's preferred address" });
    }

    [Fact]
    public void Rfc9000_9_6_2_ForgedDatagramsAtThePreferredSocket_MoveNothing_AndTheConnectionCarriesOn()
    {
        var harness = new PreferredAddressHarness(client => client with { UsePreferredAddress = false });
        Assert.True(harness.RunUntil(() => harness.Client.IsHandshakeConfirmed));
        var server = harness.Accepted;
        var ids = new[] { harness.Client.PeerParameters!.PreferredAddress!.ConnectionId, server.Connection.SourceConnectionId.ToArray() };
        var random = new Random(5);
        for (var i = 0; i < 500; i++)
        {
            var datagram = new byte[random.Next(1, 1400)];
            random.NextBytes(datagram);
            datagram[0] = (byte)(0x40 | (datagram[0] & 0x3f));
            if (datagram.Length > 9)
            {
                ids[i % 2].CopyTo(datagram.AsSpan(1));
            }

            harness.Server.ReceiveDatagram(datagram, new System.Net.IPEndPoint(PreferredAddressHarness.ClientSecond.Address, 40_000 + i), atPreferredAddress: true, harness.Now);
        }

        Assert.False(server.AtPreferredAddress);
        Assert.Equal(PreferredAddressHarness.ClientFirst, server.Remote);
        Assert.False(server.Connection.IsProbingPath);
        Assert.Null(server.ProbeRemote);
        AssertStillWorks(harness, server);
    }

    [Fact]
    public void Rfc9000_9_6_1_WithUsePreferredAddressOff_TheClientDoesNotProbe()
    {
        var harness = new PreferredAddressHarness(client => client with { UsePreferredAddress = false });
        Assert.True(harness.RunUntil(() => harness.Client.IsHandshakeConfirmed));

        Assert.False(harness.Client.ProbePreferredAddress(harness.Now, portOnly: false));
        Assert.False(harness.Client.IsProbingPath);
    }

    [Fact]
    public void Rfc9000_9_BeforeTheHandshakeIsConfirmed_TheClientDoesNotProbe()
    {
        var harness = new PreferredAddressHarness();

        Assert.False(harness.Client.ProbePreferredAddress(harness.Now, portOnly: false));
    }

    [Fact]
    public void Rfc9000_18_2_AServerWithZeroLengthConnectionIds_OffersNoPreferredAddress()
    {
        var pair = new QuicPair(server: options => options with { ConnectionIdLength = 0, PreferredAddress = Preferred });

        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed, TimeSpan.FromSeconds(10)));

        Assert.Null(pair.Client.PeerParameters!.PreferredAddress);
    }

    [Fact]
    public void Rfc9000_18_2_APreferredAddressFromAServerWithAZeroLengthConnectionId_IsATransportParameterError()
    {
        var hostile = new QuicPreferredAddress(Preferred, new IPEndPoint(IPAddress.IPv6Any, 0), [1, 2, 3, 4, 5, 6, 7, 8], new byte[16]);
        var pair = new QuicPair(server: options => options with
        {
            ConnectionIdLength = 0,
            RewriteTransportParameters = parameters => parameters with { PreferredAddress = hostile },
        });

        pair.RunUntil(() => pair.Client.CloseReason is not null, TimeSpan.FromSeconds(10));

        Assert.Equal((ulong)QuicTransportErrorCode.TransportParameterError, pair.Client.CloseReason!.ErrorCode);
        Assert.Null(pair.Client.PeerParameters);
    }

    [Fact]
    public void Rfc9000_5_1_1_APreferredAddressRepeatingTheHandshakeConnectionId_IsATransportParameterError()
    {
        var pair = new QuicPair(server: options => options with
        {
            RewriteTransportParameters = parameters => parameters with
            {
                PreferredAddress = new QuicPreferredAddress(Preferred, new IPEndPoint(IPAddress.IPv6Any, 0), parameters.InitialSourceConnectionId!, new byte[16]),
            },
        });

        pair.RunUntil(() => pair.Client.CloseReason is not null, TimeSpan.FromSeconds(10));

        Assert.Equal((ulong)QuicTransportErrorCode.TransportParameterError, pair.Client.CloseReason!.ErrorCode);
    }

    private static (long Id, byte[] Body) StartDownload(PreferredAddressHarness harness, QuicEndpointConnection server, int size)
    {
        var id = harness.Client.OpenStream(bidirectional: true);
        harness.Client.WriteStream(id, "GET"u8, fin: true);
        Assert.True(harness.RunUntil(() => server.Connection.ReadStream(id, new byte[16], out var fin) > 0 || fin));
        var body = new byte[size];
        new Random(9).NextBytes(body);
        server.Connection.WriteStream(id, body, fin: true);
        harness.Server.Wake(server, harness.Now);
        return (id, body);
    }

    private static void AssertStillWorks(PreferredAddressHarness harness, QuicEndpointConnection server)
    {
        var id = harness.Client.OpenStream(bidirectional: true);
        harness.Client.WriteStream(id, "after"u8, fin: true);
        var buffer = new byte[16];
        var got = 0;
        Assert.True(harness.RunUntil(() => (got += server.Connection.ReadStream(id, buffer.AsSpan(got), out _)) == 5));
        Assert.Equal("after"u8.ToArray(), buffer[..5]);
    }
}
