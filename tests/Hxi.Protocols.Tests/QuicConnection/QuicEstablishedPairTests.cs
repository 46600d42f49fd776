using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Protection;
// This test namespace (Hxi.Protocols.Tests.QuicConnection) hides the type's short name.
using EstablishedConnection = Hxi.Protocols.Quic.Connection.QuicConnection;

namespace Hxi.Protocols.Tests.QuicConnection;

/// <summary>
/// <c>QuicConnection.CreateEstablishedPair</c>, the fuzz harness's start in the 1-RTT state:
/// the two connections must behave as a pair after a real handshake does, or the quic-connection target fuzzes
/// something no peer can reach.
/// </summary>
public sealed class QuicEstablishedPairTests
{
    private static readonly byte[] ClientSecret = [.. Enumerable.Repeat((byte)0x11, 32)];
    private static readonly byte[] ServerSecret = [.. Enumerable.Repeat((byte)0x22, 32)];

    [Fact]
    public void StartsConfirmed_WithEachOthersIdsAndParameters()
    {
        var (client, server) = CreatePair();

        Assert.True(client.IsHandshakeConfirmed && server.IsHandshakeConfirmed);
        Assert.Equal("h3", client.ApplicationProtocol);
        Assert.True(client.DestinationConnectionId.Span.SequenceEqual(server.SourceConnectionId.Span));
        Assert.True(server.DestinationConnectionId.Span.SequenceEqual(client.SourceConnectionId.Span));
        Assert.Equal(8UL, client.PeerParameters!.InitialMaxStreamsBidi);
        Assert.NotNull(client.PeerParameters.StatelessResetToken);
    }

    [Fact]
    public void StreamDataFlowsBothWays_AndAKeyUpdateIsFollowed()
    {
        var (client, server) = CreatePair();
        var now = TimeSpan.FromSeconds(1);

        var stream = client.OpenStream(bidirectional: true);
        client.WriteStream(stream, "request"u8, fin: true);
        Exchange(client, server, ref now);
        Assert.Equal("request", Read(server, stream));
        server.WriteStream(stream, "response"u8, fin: true);
        Exchange(client, server, ref now);
        Assert.Equal("response", Read(client, stream));

        // The client's first packets are acknowledged by now, so it may move to the next keys; the server must
        // derive the same next generation from its copy of the secret to read on.
        Assert.True(client.InitiateKeyUpdate());
        var next = client.OpenStream(bidirectional: true);
        client.WriteStream(next, "after the update"u8, fin: true);
        Exchange(client, server, ref now);
        Assert.Equal("after the update", Read(server, next));
        Assert.Equal(1, server.Statistics.KeyUpdates);
        Assert.Equal(0, server.Statistics.PacketsDropped);
    }

    [Fact]
    public void OptionsOfTheWrongRoles_AreMisuse()
    {
        var options = new QuicConnectionOptions { Role = QuicRole.Server };

        Assert.Throws<InvalidOperationException>(() => EstablishedConnection.CreateEstablishedPair(
            options, options, QuicCipherSuite.Aes128GcmSha256, ClientSecret, ServerSecret, TimeSpan.Zero));
    }

    private static (EstablishedConnection Client, EstablishedConnection Server) CreatePair() =>
        EstablishedConnection.CreateEstablishedPair(
            new QuicConnectionOptions { Role = QuicRole.Client, ServerName = "localhost", MaxStreamsBidirectional = 8 },
            new QuicConnectionOptions { Role = QuicRole.Server, MaxStreamsBidirectional = 8 },
            QuicCipherSuite.Aes128GcmSha256,
            ClientSecret,
            ServerSecret,
            TimeSpan.FromSeconds(1));

    /// <summary>Moves datagrams both ways and fires due timers, for 100 ms of simulated time (ACK delays included).</summary>
    private static void Exchange(EstablishedConnection client, EstablishedConnection server, ref TimeSpan now)
    {
        var buffer = new byte[65_536];
        for (var round = 0; round < 20; round++)
        {
            foreach (var (from, to) in new[] { (client, server), (server, client) })
            {
                int length;
                while ((length = from.WriteDatagram(buffer, now)) > 0)
                {
                    to.ReceiveDatagram(buffer.AsSpan(0, length), now);
                }
            }

            now += TimeSpan.FromMilliseconds(5);
            foreach (var connection in new[] { client, server })
            {
                if (connection.NextTimeout is { } due && due <= now)
                {
                    connection.HandleTimeout(now);
                }
            }
        }
    }

    private static string Read(EstablishedConnection connection, long stream)
    {
        var buffer = new byte[256];
        var length = connection.ReadStream(stream, buffer, out var finished);
        Assert.True(finished);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, length);
    }
}
