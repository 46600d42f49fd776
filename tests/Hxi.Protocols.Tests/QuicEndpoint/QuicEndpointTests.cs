using System.Buffers.Binary;
using System.Security.Cryptography;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Endpoint;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Tests.QuicEndpoint;

/// <summary>Every rule of the server endpoint, on a virtual clock.</summary>
public class QuicEndpointTests
{
    [Fact]
    public void Handshake_ThroughTheEndpoint_RoutesEveryIssuedConnectionId()
    {
        var harness = new EndpointHarness();
        var (_, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed && client.PeerConnectionIds.Count > 1));
        harness.RunUntil(() => false, TimeSpan.FromMilliseconds(50));

        Assert.Equal(1, harness.Server.ConnectionCount);
        Assert.Equal(0, harness.Server.HandshakesInProgress);
        // Every ID the server issued, plus the client's first Destination Connection ID.
        Assert.Equal(client.PeerConnectionIds.Count + 1, harness.Server.RoutedConnectionIds);
        Assert.Single(harness.Events.OfType<QuicConnectionAccepted>());
    }

    [Fact]
    public void Rfc9000_5_1_2_ClientMovesToAnotherConnectionId_PacketsStillArrive_RetiredIdIsForgotten()
    {
        var harness = new EndpointHarness();
        var (_, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed && client.PeerConnectionIds.Count > 1));
        var first = client.DestinationConnectionId.ToArray();
        Assert.True(client.SwitchDestinationConnectionId());
        var stream = client.OpenStream(bidirectional: true);
        client.WriteStream(stream, "after the switch"u8, fin: true);
        var server = harness.Events.OfType<QuicConnectionAccepted>().Single().Connection.Connection;
        var buffer = new byte[100];
        var read = 0;
        Assert.True(harness.RunUntil(() => (read += server.ReadStream(stream, buffer.AsSpan(read), out _)) == 16));
        harness.RunUntil(() => false, TimeSpan.FromMilliseconds(100));

        // Packets to the retired ID are strangers now: a short header to it draws a stateless reset.
        var toRetired = GarbageDatagrams.ShortHeader(new Random(3));
        first.CopyTo(toRetired, 1);
        Assert.Null(harness.Inject(toRetired, harness.NextAddress()));
        Assert.Equal(1, harness.Server.Statistics.StatelessResetsSent);
    }

    [Fact]
    public void Rfc9000_6_1_UnknownVersion_GetsVersionNegotiation_AndLeavesNoState()
    {
        var harness = new EndpointHarness();
        var random = new Random(5);
        var datagram = GarbageDatagrams.UnknownVersion(random);
        var from = harness.NextAddress();
        Assert.Null(harness.Inject(datagram, from));
        var (to, answer) = Assert.Single(harness.FlushServer());

        Assert.Equal(from, to);
        Assert.True(QuicPacketParser.TryParse(answer, 8, out var header, out _));
        Assert.Equal(QuicPacketType.VersionNegotiation, header.Type);
        Assert.Contains(QuicVersion.Version1, header.SupportedVersions);
        Assert.Contains(header.SupportedVersions, QuicVersion.IsReserved);
        // RFC 8999 Section 6: the client's connection IDs come back swapped.
        Assert.Equal(datagram.AsSpan(19, 5).ToArray(), header.DestinationConnectionId.ToArray());
        Assert.Equal(datagram.AsSpan(6, 12).ToArray(), header.SourceConnectionId.ToArray());
        AssertNoState(harness.Server);
    }

    [Fact]
    public void Rfc9000_6_1_UnknownVersion_InASmallDatagram_IsDropped()
    {
        var harness = new EndpointHarness();
        harness.Inject(GarbageDatagrams.UnknownVersion(new Random(5), size: 1199), harness.NextAddress());
        Assert.Empty(harness.FlushServer());
        AssertNoState(harness.Server);
    }

    [Fact]
    public void VersionNegotiationPacket_ToTheServer_IsNeverAnswered()
    {
        var harness = new EndpointHarness();
        harness.Inject(GarbageDatagrams.UnknownVersion(new Random(5), version: 0), harness.NextAddress());
        Assert.Empty(harness.FlushServer());
    }

    [Fact]
    public void Flood_20000UndecryptableInitials_LeaveNoState_AndDrawNoAnswer()
    {
        var harness = new EndpointHarness();
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            Assert.Null(harness.Inject(GarbageDatagrams.UndecryptableInitial(random), harness.NextAddress()));
        }

        Assert.Empty(harness.FlushServer());
        Assert.Equal(20_000, harness.Server.Statistics.UndecryptableInitials);
        AssertNoState(harness.Server);
    }

    [Fact]
    public void Flood_20000DecryptableGarbageInitials_AreBoundedByTheLimits_AndAllGoneAfterTheHandshakeTimeout()
    {
        var harness = new EndpointHarness(o => o with { RetryAboveHandshakes = 64, MaxHandshakes = 100 });
        var random = new Random(8);
        for (var i = 0; i < 20_000; i++)
        {
            harness.Inject(GarbageDatagrams.DecryptableInitial(random), harness.NextAddress());
            if (i % 100 == 0)
            {
                harness.FlushServer();
            }
        }

        harness.FlushServer();
        // Past 64 handshakes in progress every newcomer must first prove its address: no state for them.
        Assert.Equal(64, harness.Server.ConnectionCount);
        Assert.True(harness.Server.Statistics.RetriesSent > 0);

        harness.RunUntil(() => false, harness.Options.HandshakeTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(64, harness.Server.Statistics.HandshakesTimedOut);
        AssertNoState(harness.Server);
        Assert.Equal(64, harness.Events.OfType<QuicConnectionRemoved>().Count());
    }

    [Fact]
    public void Rfc9000_12_2_AnInitialCoalescedWithMore_OpensOnItsOwn_AndStartsAConnection()
    {
        var harness = new EndpointHarness();
        var initial = GarbageDatagrams.DecryptableInitial(new Random(10));
        byte[] datagram = [.. initial, .. GarbageDatagrams.UndecryptableInitial(new Random(11), 100)];
        Assert.NotNull(harness.Inject(datagram, harness.NextAddress()));
        Assert.Equal(1, harness.Server.ConnectionCount);
    }

    [Fact]
    public void AnInitialWhoseLengthRunsPastTheDatagram_IsDropped()
    {
        var harness = new EndpointHarness();
        var datagram = GarbageDatagrams.DecryptableInitial(new Random(10));
        // The Length field (2 bytes after the empty token's length, at 24) claims 16,383 bytes, more than the datagram holds.
        datagram[24] = 0x7f;
        datagram[25] = 0xff;
        Assert.Null(harness.Inject(datagram, harness.NextAddress()));
        Assert.Equal(0, harness.Server.Statistics.UndecryptableInitials);
        AssertNoState(harness.Server);
    }

    [Fact]
    public void Rfc9000_14_1_InitialInADatagramUnder1200Bytes_IsDropped()
    {
        var harness = new EndpointHarness();
        var datagram = GarbageDatagrams.DecryptableInitial(new Random(9));
        Assert.Null(harness.Inject(datagram[..1199], harness.NextAddress()));
        AssertNoState(harness.Server);
    }

    [Fact]
    public void Rfc9000_7_2_ClientDestinationConnectionIdUnder8Bytes_IsDropped()
    {
        var harness = new EndpointHarness();
        var datagram = GarbageDatagrams.UndecryptableInitial(new Random(9));
        datagram[5] = 7;
        Assert.Null(harness.Inject(datagram, harness.NextAddress()));
        Assert.Equal(0, harness.Server.Statistics.UndecryptableInitials);
        AssertNoState(harness.Server);
    }

    [Fact]
    public void MalformedLongHeaders_AreDroppedBeforeAnyWork()
    {
        var harness = new EndpointHarness();
        byte[][] datagrams =
        [
            [],
            [0xc0],
            [0xc0, 0, 0, 0, 1, 30, 1, 2],
            [0xc0, 0, 0, 0, 1, 21, .. new byte[1300]],
            [0xc0, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8, 200, 1, 2],
            GarbageDatagrams.UndecryptableInitial(new Random(1)).Select((b, i) => i == 24 ? (byte)0x7f : b).ToArray(),
        ];
        foreach (var datagram in datagrams)
        {
            Assert.Null(harness.Inject(datagram, harness.NextAddress()));
        }

        Assert.Equal(datagrams.Length, harness.Server.Statistics.DatagramsDropped);
        Assert.Empty(harness.FlushServer());
        AssertNoState(harness.Server);
    }

    [Fact]
    public void Rfc9000_8_1_2_AlwaysRetry_TheClientFollows_AndTheHandshakeAuthenticatesTheRetry()
    {
        var harness = new EndpointHarness(o => o with { AlwaysRetry = true });
        var (_, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed));
        Assert.Equal(1, harness.Server.Statistics.RetriesSent);
        Assert.NotNull(client.PeerParameters!.RetrySourceConnectionId);
        Assert.Equal(1, harness.Server.ConnectionCount);
    }

    [Fact]
    public void Rfc9000_8_1_AfterRetry_TheAddressIsValidated_SoThe3xLimitNoLongerApplies()
    {
        var harness = new EndpointHarness(o => o with { AlwaysRetry = true, HandshakeTimeout = TimeSpan.FromMinutes(1) });
        var (address, _) = harness.AddClient();
        var initials = 0;
        // After the Retry, only the client's first Initial (with the token) gets through.
        harness.DropToServer = (_, datagram) => (datagram[0] & 0x80) != 0 && ++initials > 2;
        harness.RunUntil(() => false, TimeSpan.FromSeconds(20));
        var received = 1200 * 2;
        var sent = harness.ServerSent.Where(s => s.To.Equals(address)).Sum(s => s.Datagram.Length);
        Assert.True(sent > received, $"sent {sent} for {received}: the validated address should not have been limited");
    }

    [Fact]
    public void Rfc9000_8_1_BeforeValidation_TheServerSendsAtMostThreeTimesWhatItReceived()
    {
        var harness = new EndpointHarness(o => o with { HandshakeTimeout = TimeSpan.FromMinutes(1) });
        var (address, _) = harness.AddClient();
        var first = true;
        // Only the client's first datagram arrives; the server's probes must stay within 3 x 1200 bytes.
        harness.DropToServer = (_, _) => !(first && !(first = false));
        harness.RunUntil(() => false, TimeSpan.FromSeconds(20));
        var sent = harness.ServerSent.Where(s => s.To.Equals(address)).Sum(s => s.Datagram.Length);
        Assert.InRange(sent, 1200, 3600);
    }

    [Fact]
    public void Rfc9000_8_1_3_TamperedToken_IsAnsweredWithInvalidToken_WithoutAConnection()
    {
        var harness = new EndpointHarness(o => o with { AlwaysRetry = true });
        var from = harness.NextAddress();
        var (retrySource, token) = Retry(harness, from);
        token[20] ^= 1;
        Assert.Null(harness.Inject(AnswerRetry(retrySource, token), from));
        var (_, close) = Assert.Single(harness.FlushServer());

        var (client, server) = QuicPacketKeys.CreateInitial(retrySource);
        using (client)
        using (server)
        {
            Assert.True(QuicPacketParser.TryParse(close, 8, out var header, out _));
            var packet = System.Runtime.InteropServices.MemoryMarshal.AsMemory(header.Packet).Span;
            Assert.True(server.TryUnprotect(packet, header.PacketNumberOffset, null, out var opened));
            var frame = Assert.IsType<Hxi.Protocols.Quic.Frames.ConnectionCloseFrame>(
                Hxi.Protocols.Quic.Frames.QuicFrameDecoder.DecodeAll(header.Packet.Slice(opened.PayloadOffset, opened.PayloadLength), QuicPacketSpaces.Initial).Single());
            Assert.Equal((ulong)QuicTransportErrorCode.InvalidToken, frame.ErrorCode);
        }

        Assert.Equal(1, harness.Server.Statistics.InitialsRefused);
        AssertNoState(harness.Server);
    }

    [Fact]
    public void Rfc9000_8_1_4_TokenFromAnotherAddressOrTooOld_IsInvalid_AndAGoodOneIsAccepted()
    {
        var harness = new EndpointHarness(o => o with { AlwaysRetry = true });
        var from = harness.NextAddress();
        var (retrySource, token) = Retry(harness, from);

        harness.Inject(AnswerRetry(retrySource, token), harness.NextAddress());
        Assert.Equal(1, harness.Server.Statistics.InitialsRefused);
        harness.Now += harness.Options.RetryTokenLifetime + TimeSpan.FromSeconds(1);
        harness.Inject(AnswerRetry(retrySource, token), from);
        Assert.Equal(2, harness.Server.Statistics.InitialsRefused);
        Assert.Equal(2, harness.FlushServer().Count);
        AssertNoState(harness.Server);

        (retrySource, token) = Retry(harness, from);
        Assert.NotNull(harness.Inject(AnswerRetry(retrySource, token), from));
        Assert.Equal(1, harness.Server.ConnectionCount);
    }

    /// <summary>Sends a decryptable Initial from <paramref name="from"/> and returns the Retry's connection ID and token.</summary>
    private static (byte[] RetrySource, byte[] Token) Retry(EndpointHarness harness, System.Net.IPEndPoint from)
    {
        harness.Inject(GarbageDatagrams.DecryptableInitial(new Random(11)), from);
        var (_, retry) = Assert.Single(harness.FlushServer());
        Assert.True(QuicPacketParser.TryParse(retry, 8, out var header, out _));
        Assert.Equal(QuicPacketType.Retry, header.Type);
        return (header.SourceConnectionId.ToArray(), header.Token.ToArray());
    }

    private static byte[] AnswerRetry(byte[] retrySource, byte[] token)
    {
        var (client, server) = QuicPacketKeys.CreateInitial(retrySource);
        using (client)
        using (server)
        {
            var datagram = new byte[1400];
            var length = QuicPacketWriter.WriteLongHeaderPacket(datagram, client, QuicPacketType.Initial, retrySource, [1, 2, 3, 4, 5, 6, 7, 8], token, 0, 1, [0x01], 1200);
            return datagram[..length];
        }
    }

    [Fact]
    public void RetryStartsOnItsOwn_WhenHandshakesPileUp()
    {
        var harness = new EndpointHarness(o => o with { RetryAboveHandshakes = 1 });
        var random = new Random(12);
        harness.Inject(GarbageDatagrams.DecryptableInitial(random), harness.NextAddress());
        Assert.Equal(1, harness.Server.HandshakesInProgress);
        var (_, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed));
        Assert.Equal(1, harness.Server.Statistics.RetriesSent);
        Assert.NotNull(client.PeerParameters!.RetrySourceConnectionId);
    }

    [Fact]
    public void AtTheConnectionLimit_NewClientsAreRefused()
    {
        var harness = new EndpointHarness(o => o with { MaxConnections = 2 });
        var clients = Enumerable.Range(0, 3).Select(_ => harness.AddClient().Client).ToList();
        Assert.True(harness.RunUntil(() => clients.Count(c => c.IsHandshakeConfirmed) == 2 && clients.Any(c => c.CloseReason is not null)));
        var refused = Assert.Single(clients, c => c.CloseReason is not null);
        Assert.Equal((ulong)QuicTransportErrorCode.ConnectionRefused, refused.CloseReason!.ErrorCode);
        Assert.Equal(2, harness.Server.ConnectionCount);
    }

    [Fact]
    public void HandshakeThatStalls_IsDroppedAfterTheHandshakeTimeout()
    {
        var harness = new EndpointHarness(o => o with { HandshakeTimeout = TimeSpan.FromSeconds(3) });
        harness.AddClient();
        var first = true;
        harness.DropToServer = (_, _) => !(first && !(first = false));
        harness.RunUntil(() => harness.Server.ConnectionCount == 0 && harness.Events.Count == 2, TimeSpan.FromSeconds(10));
        var removed = Assert.Single(harness.Events.OfType<QuicConnectionRemoved>());
        Assert.Equal("handshake timeout", removed.Reason);
        Assert.InRange(harness.Now, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3.1));
        AssertNoState(harness.Server);
    }

    [Fact]
    public void ClosedConnection_IsForgottenAfterItsClosingPeriod()
    {
        var harness = new EndpointHarness();
        var (_, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed));
        client.Close(0x100, "done", harness.Now);
        Assert.True(harness.RunUntil(() => harness.Server.ConnectionCount == 0, TimeSpan.FromSeconds(5)));
        AssertNoState(harness.Server);
    }

    [Fact]
    public void Rfc9000_10_3_ServerThatLostTheConnection_ResetsIt_WithTheTokenTheClientHolds()
    {
        var harness = new EndpointHarness();
        var (_, client) = harness.AddClient();
        Assert.True(harness.RunUntil(() => client.IsHandshakeConfirmed));
        harness.RestartServer();
        client.WriteStream(client.OpenStream(bidirectional: true), "anyone there?"u8, fin: true);
        Assert.True(harness.RunUntil(() => client.IsTerminated, TimeSpan.FromSeconds(5)));
        Assert.Contains("stateless reset", client.CloseReason!.Reason);
        Assert.InRange(harness.Server.Statistics.StatelessResetsSent, 1, 3);
    }

    [Theory]
    [InlineData(1200, 43)]
    [InlineData(30, 29)]
    [InlineData(22, 21)]
    public void Rfc9000_10_3_3_StatelessReset_IsSmallerThanWhatPromptedIt(int size, int expected)
    {
        var harness = new EndpointHarness();
        var datagram = GarbageDatagrams.ShortHeader(new Random(13), size);
        harness.Inject(datagram, harness.NextAddress());
        var (_, reset) = Assert.Single(harness.FlushServer());
        Assert.Equal(expected, reset.Length);
        Assert.Equal(0x40, reset[0] & 0xc0);
        var key = harness.Options.StaticKey!.AsSpan(16, 16);
        Assert.Equal(HMACSHA256.HashData(key, datagram.AsSpan(1, 8))[..16], reset[^16..]);
    }

    [Fact]
    public void Rfc9000_10_3_NoResetInReplyToADatagramThatCouldBeAMinimalReset()
    {
        var harness = new EndpointHarness();
        harness.Inject(GarbageDatagrams.ShortHeader(new Random(13), 21), harness.NextAddress());
        Assert.Empty(harness.FlushServer());
    }

    [Fact]
    public void StatelessAnswers_AreRateLimited()
    {
        var harness = new EndpointHarness(o => o with { StatelessPacketsPerSecond = 100 });
        var random = new Random(14);
        var sent = 0;
        for (var i = 0; i < 5_000; i++)
        {
            harness.Inject(GarbageDatagrams.ShortHeader(random), harness.NextAddress());
            sent += harness.FlushServer().Count;
        }

        Assert.Equal(100, sent);
        harness.Now += TimeSpan.FromSeconds(1);
        harness.Inject(GarbageDatagrams.ShortHeader(random), harness.NextAddress());
        Assert.Single(harness.FlushServer());
    }

    [Fact]
    public void UnknownHandshakePacket_IsDroppedWithoutAnswer()
    {
        var harness = new EndpointHarness();
        var datagram = GarbageDatagrams.UndecryptableInitial(new Random(15));
        datagram[0] = 0xe0; // Handshake
        Assert.Null(harness.Inject(datagram, harness.NextAddress()));
        Assert.Empty(harness.FlushServer());
        AssertNoState(harness.Server);
    }

    [Fact]
    public void ManyClients_AllComplete_AndAllAreForgottenAfterClosing()
    {
        var harness = new EndpointHarness();
        var clients = Enumerable.Range(0, 50).Select(_ => harness.AddClient().Client).ToList();
        Assert.True(harness.RunUntil(() => clients.All(c => c.IsHandshakeConfirmed)));
        Assert.Equal(50, harness.Server.ConnectionCount);
        foreach (var client in clients)
        {
            client.Close(0x100, "bye", harness.Now);
        }

        Assert.True(harness.RunUntil(() => harness.Server.ConnectionCount == 0, TimeSpan.FromSeconds(5)));
        AssertNoState(harness.Server);
    }

    private static void AssertNoState(global::Hxi.Protocols.Quic.Endpoint.QuicEndpoint server)
    {
        Assert.Equal(0, server.ConnectionCount);
        Assert.Equal(0, server.HandshakesInProgress);
        Assert.Equal(0, server.RoutedConnectionIds);
        Assert.Null(server.NextTimeout);
    }
}
