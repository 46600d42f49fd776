using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Parameters;
using QuicConnectionCore = Hxi.Protocols.Quic.Connection.QuicConnection;

namespace Hxi.Protocols.Tests.QuicEndpoint;

/// <summary>QUIC v2 end to end (RFC 9369), compatible version negotiation (RFC 9368) and Version Negotiation (RFC 9000 Section 6).</summary>
public class QuicVersionNegotiationTests
{
    private const uint V1 = QuicVersion.Version1;
    private const uint V2 = QuicVersion.Version2;

    [Fact]
    public void Rfc9369_V2Client_HandshakesInV2_AndTheServerAnswersInV2()
    {
        var harness = new EndpointHarness();
        var (_, client) = harness.AddClient(o => o with { Version = V2 });
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed), client.CloseReason?.Describe());

        Assert.Equal(V2, client.Version);
        Assert.Equal(V2, client.OriginalVersion);
        Assert.Equal(V2, FirstLongHeaderVersion(harness));
        Assert.Equal(new QuicVersionInformation(V2, [V2, V1]), client.PeerVersionInformation);
        AssertTransfers(harness, client);
    }

    [Fact]
    public void Rfc9368_2_3_V1ClientOfferingV2_IsUpgradedByTheServer_AndFollows()
    {
        var harness = new EndpointHarness();
        var (_, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed), client.CloseReason?.Describe());

        Assert.Equal(V1, client.OriginalVersion);
        Assert.Equal(V2, client.Version);
        Assert.Equal(V2, FirstLongHeaderVersion(harness));
        Assert.Equal(V2, client.PeerVersionInformation!.ChosenVersion);
        AssertTransfers(harness, client);
    }

    [Fact]
    public void Rfc9368_2_3_V1OnlyClient_StaysInV1()
    {
        var harness = new EndpointHarness();
        var (_, client) = harness.AddClient(o => o with { Versions = [V1] });
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed), client.CloseReason?.Describe());

        Assert.Equal(V1, client.Version);
        Assert.Equal(V1, FirstLongHeaderVersion(harness));
    }

    [Fact]
    public void Rfc9000_6_2_V2Client_ToAV1OnlyServer_GetsVersionNegotiation_AndRetriesInV1()
    {
        var harness = new EndpointHarness(o => o with { Connection = o.Connection with { Versions = [V1] } });
        var (_, client) = harness.AddClient(o => o with { Version = V2 });
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed), client.CloseReason?.Describe());

        Assert.Equal(1, harness.Server.Statistics.VersionNegotiationsSent);
        Assert.Equal(V1, client.Version);
        Assert.Equal(new QuicVersionInformation(V1, [V1]), client.PeerVersionInformation);
        AssertTransfers(harness, client);
    }

    [Fact]
    public void Rfc9000_6_2_VersionNegotiation_WithNoVersionInCommon_EndsTheAttemptWithOneReason()
    {
        var harness = new EndpointHarness(o => o with { Connection = o.Connection with { Versions = [V2] } });
        var (_, client) = harness.AddClient(o => o with { Versions = [V1] });
        Assert.True(harness.RunUntil(() => client.IsTerminated));

        Assert.False(client.IsHandshakeComplete);
        Assert.Contains("does not support QUIC v1", client.CloseReason!.Reason);
        Assert.Contains("v2", client.CloseReason.Reason);
    }

    [Fact]
    public void Rfc9000_6_2_VersionNegotiation_ListingTheVersionUsed_IsIgnored()
    {
        var harness = new EndpointHarness();
        var (_, client) = harness.AddClient(o => o with { Versions = [V1] });
        client.ReceiveDatagram(QuicPacketWriter.BuildVersionNegotiation(client.SourceConnectionId.Span, client.DestinationConnectionId.Span, [0x1a2a3a4a, V1]), harness.Now);
        Assert.False(client.IsTerminated);

        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed), client.CloseReason?.Describe());
        Assert.Equal(V1, client.Version);
    }

    [Fact]
    public void Rfc9368_4_ForgedVersionNegotiation_IsCaughtAsADowngrade()
    {
        // The server speaks both (preferring v1, so it does not upgrade by itself); an attacker's Version Negotiation
        // claims it has only v1. The handshake then shows the server's real list, and the client refuses.
        var harness = new EndpointHarness(o => o with { Connection = o.Connection with { Versions = [V1, V2] } });
        var (_, client) = harness.AddClient(o => o with { Version = V2 });
        client.ReceiveDatagram(QuicPacketWriter.BuildVersionNegotiation(client.SourceConnectionId.Span, client.DestinationConnectionId.Span, [V1]), harness.Now);
        Assert.True(harness.RunUntil(() => client.IsTerminated));

        Assert.False(client.IsHandshakeComplete);
        Assert.Equal((ulong)QuicTransportErrorCode.VersionNegotiationError, client.CloseReason!.ErrorCode);
        Assert.Contains("downgrade", client.CloseReason.Reason);
    }

    [Fact]
    public void Rfc9368_4_ClientVersionInformation_ChoosingAnotherVersionThanItsInitial_IsRefused()
    {
        var harness = new EndpointHarness();
        var (_, client) = harness.AddClient(o => o with
        {
            Versions = [V1],
            RewriteTransportParameters = p => p with { UnknownParameters = [new QuicVersionInformation(V2, [V2, V1]).ToParameter()] },
        });
        Assert.True(harness.RunUntil(() => client.IsTerminated));

        Assert.True(client.CloseReason!.ByPeer);
        Assert.Equal((ulong)QuicTransportErrorCode.VersionNegotiationError, client.CloseReason.ErrorCode);
    }

    [Fact]
    public void Rfc9368_4_ServerVersionInformation_DisagreeingWithTheVersionInUse_IsRefused()
    {
        var harness = new EndpointHarness(o => o with
        {
            Connection = o.Connection with
            {
                RewriteTransportParameters = p => p with { UnknownParameters = [new QuicVersionInformation(V1, [V1]).ToParameter()] },
            },
        });
        var (_, client) = harness.AddClient(o => o with { Version = V2 });
        Assert.True(harness.RunUntil(() => client.IsTerminated));

        Assert.False(client.CloseReason!.ByPeer);
        Assert.Equal((ulong)QuicTransportErrorCode.VersionNegotiationError, client.CloseReason.ErrorCode);
    }

    [Fact]
    public void Rfc9368_4_UpgradeWithoutVersionInformation_IsRefused()
    {
        var harness = new EndpointHarness(o => o with
        {
            Connection = o.Connection with { RewriteTransportParameters = p => p with { UnknownParameters = [] } },
        });
        var (_, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsTerminated));

        Assert.Equal((ulong)QuicTransportErrorCode.VersionNegotiationError, client.CloseReason!.ErrorCode);
    }

    [Theory]
    [InlineData("", "not a non-empty multiple of 4")]
    [InlineData("000000010000", "not a non-empty multiple of 4")]
    [InlineData("0000000000000001", "Chosen Version")]
    [InlineData("0000000100000000", "version 0 as available")]
    public void Rfc9368_3_MalformedVersionInformation_IsATransportParameterError(string hex, string reason)
    {
        var error = Assert.Throws<QuicTransportException>(() => QuicVersionInformation.Decode(Hex.Parse(hex)));
        Assert.Equal(QuicTransportErrorCode.TransportParameterError, error.Code);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Rfc9368_3_VersionInformation_RoundTripsInTheTransportParameters()
    {
        var info = new QuicVersionInformation(V1, [V1, V2, 0x0a1a2a3a]);
        var encoded = new QuicTransportParameters { UnknownParameters = [info.ToParameter()] }.ToArray();
        Assert.Equal(info, QuicVersionInformation.Find(encoded));
        Assert.Equal(info, QuicVersionInformation.From(QuicTransportParametersCodec.Decode(encoded, QuicRole.Client)));
        Assert.Equal("chosen=v1 available=[v1, v2, 0x0a1a2a3a (reserved)]", info.ToString());
    }

    private static uint FirstLongHeaderVersion(EndpointHarness harness)
    {
        var (_, datagram) = harness.ServerSent.First(d => (d.Datagram[0] & 0x80) != 0 && d.Datagram[1..5].Any(b => b != 0));
        Assert.True(QuicPacketParser.TryParse(datagram, 8, out var header, out var error), error);
        return header.Version;
    }

    private static void AssertTransfers(EndpointHarness harness, QuicConnectionCore client)
    {
        var id = client.OpenStream(bidirectional: true);
        var body = new byte[50_000];
        new Random(3).NextBytes(body);
        client.WriteStream(id, body, fin: true);
        var received = new List<byte>();
        var buffer = new byte[65_536];
        var finished = false;
        Assert.True(harness.RunUntil(() =>
        {
            foreach (var connection in harness.Events.OfType<Hxi.Protocols.Quic.Endpoint.QuicConnectionAccepted>())
            {
                int read;
                while (!finished && (read = connection.Connection.Connection.ReadStream(id, buffer, out finished)) > 0)
                {
                    received.AddRange(buffer.AsSpan(0, read).ToArray());
                }
            }

            return finished;
        }));
        Assert.Equal(body, received);
    }
}
