using System.Security.Cryptography;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Tests.QuicConnection;

public class QuicConnectionTests
{
    [Fact]
    public void Handshake_Completes_AndBothSidesConfirm()
    {
        var pair = new QuicPair();
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed && pair.Server.IsHandshakeConfirmed, TimeSpan.FromSeconds(5)), string.Join("\n", pair.Trace));
        Assert.Equal("h3", pair.Client.ApplicationProtocol);
        Assert.Contains(pair.ClientEvents, e => e is QuicHandshakeCompleted);
        Assert.Contains(pair.ClientEvents, e => e is QuicHandshakeConfirmed);
    }

    [Fact]
    public void Rfc9001_5_7_Server_DoesNotProcess1RttBeforeTheHandshakeCompletes()
    {
        // The client's Finished is lost; the stream data it sends next reaches the server first. The server may
        // not act on it yet (it installs the 1-RTT read key only once the Finished verifies), so it drops it,
        // and the client's retransmissions bring both in order.
        var pair = new QuicPair();
        var finishedLost = false;
        pair.DropToServerWhen = frames =>
        {
            if (finishedLost || !pair.Client.IsHandshakeComplete || !frames.Any(f => f is Hxi.Protocols.Quic.Frames.CryptoFrame))
            {
                return false;
            }

            return finishedLost = true;
        };
        Assert.True(pair.RunUntil(() => finishedLost, TimeSpan.FromSeconds(5)), string.Join("\n", pair.Trace));
        var stream = pair.Client.OpenStream(bidirectional: true);
        pair.Client.WriteStream(stream, "early"u8, fin: true);
        var droppedBefore = pair.Server.Statistics.PacketsDropped;

        Assert.True(pair.RunUntil(() => pair.ServerEvents.Any(e => e is QuicStreamReadable), TimeSpan.FromSeconds(5)), string.Join("\n", pair.Trace));

        Assert.True(pair.Server.Statistics.PacketsDropped > droppedBefore, "the early 1-RTT packet was not dropped");
        var completed = pair.ServerEvents.FindIndex(e => e is QuicHandshakeCompleted);
        var readable = pair.ServerEvents.FindIndex(e => e is QuicStreamReadable);
        Assert.InRange(completed, 0, readable - 1);
        var buffer = new byte[16];
        Assert.Equal("early", System.Text.Encoding.ASCII.GetString(buffer, 0, pair.Server.ReadStream(stream, buffer, out var finished)));
        Assert.True(finished);
    }

    [Theory]
    [InlineData(TlsCipherSuite.Aes128GcmSha256)]
    [InlineData(TlsCipherSuite.Aes256GcmSha384)]
    [InlineData(TlsCipherSuite.ChaCha20Poly1305Sha256)]
    public void Handshake_WorksWithEveryCipherSuite(TlsCipherSuite suite)
    {
        var pair = new QuicPair(client: o => o with { CipherSuites = [suite] });
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed, TimeSpan.FromSeconds(5)));
        var completed = Assert.Single(pair.ClientEvents.OfType<QuicHandshakeCompleted>());
        Assert.Equal(TlsCipherSuites.Name(suite), completed.CipherSuite);
    }

    [Fact]
    public void StreamData_EchoesBothWays()
    {
        var pair = new QuicPair();
        pair.RunUntil(() => pair.Client.IsHandshakeComplete);
        var id = pair.Client.OpenStream(bidirectional: true);
        pair.Client.WriteStream(id, "hello"u8, fin: true);
        var echoed = new List<byte>();
        var serverDone = false;
        var done = pair.RunUntil(() => echoed.Count == 5, TimeSpan.FromSeconds(5), () => EchoAndCollect(pair, id, echoed, ref serverDone));
        Assert.True(done);
        Assert.Equal("hello"u8.ToArray(), echoed);
    }

    [Theory]
    [InlineData(0.0, 1, 2)]
    [InlineData(0.05, 2, 2)]
    [InlineData(0.05, 3, 50)]
    public void BigTransfer_SurvivesLossReorderingAndDuplication(double loss, int seed, int megabytes)
    {
        var link = new Link(Loss: loss, Reorder: loss, Duplicate: loss);
        var pair = new QuicPair(link, link, seed);
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeComplete, TimeSpan.FromSeconds(20)));
        var body = RandomNumberGenerator.GetBytes(megabytes * 1024 * 1024);
        var id = pair.Client.OpenStream(bidirectional: true);
        pair.Client.WriteStream(id, body, fin: true);
        var received = new MemoryStream();
        var serverFinished = false;
        var buffer = new byte[64 * 1024];
        var done = pair.RunUntil(() => serverFinished, TimeSpan.FromSeconds(600), () =>
        {
            int read;
            while ((read = pair.Server.ReadStream(id, buffer, out var fin)) > 0 || (fin && !serverFinished))
            {
                received.Write(buffer, 0, read);
                serverFinished |= fin;
                if (read == 0)
                {
                    break;
                }
            }
        });
        Assert.True(done, $"transfer stalled at {received.Length} of {body.Length} bytes");
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(received.ToArray()));
    }

    [Fact]
    public void VersionNegotiation_WithoutAVersionWeSpeak_EndsTheConnectionWithTheOffer()
    {
        var pair = new QuicPair();
        var negotiation = Hxi.Protocols.Quic.Packets.QuicPacketWriter.BuildVersionNegotiation(
            pair.Client.SourceConnectionId.Span, pair.Client.DestinationConnectionId.Span, [0xff00001d, 0x1a2a3a4a]);
        pair.Client.ReceiveDatagram(negotiation, pair.Now);
        Assert.True(pair.Client.IsTerminated);
        Assert.Contains("does not support QUIC v1", pair.Client.CloseReason!.Reason);
        Assert.Contains("0xff00001d", pair.Client.CloseReason.Reason);
    }

    [Fact]
    public void KeyUpdate_ByTheClient_IsFollowedByTheServer()
    {
        var pair = new QuicPair(client: o => o with { KeyUpdateInterval = 20 });
        pair.RunUntil(() => pair.Client.IsHandshakeConfirmed);
        var id = pair.Client.OpenStream(bidirectional: true);
        pair.Client.WriteStream(id, new byte[500_000], fin: true);
        var buffer = new byte[65_536];
        var finished = false;
        Assert.True(pair.RunUntil(() => finished, TimeSpan.FromSeconds(30), () =>
        {
            while (pair.Server.ReadStream(id, buffer, out var fin) > 0 || fin)
            {
                finished |= fin;
                if (fin)
                {
                    break;
                }
            }
        }));
        Assert.True(pair.Client.Statistics.KeyUpdates >= 2);
        Assert.True(pair.Server.Statistics.KeyUpdates >= 2);
    }

    [Fact]
    public void ApplicationClose_ReachesThePeer()
    {
        var pair = new QuicPair();
        pair.RunUntil(() => pair.Client.IsHandshakeConfirmed);
        pair.Client.Close(0x100, "bye", pair.Now);
        Assert.True(pair.RunUntil(() => pair.ServerEvents.OfType<QuicConnectionClosed>().Any(), TimeSpan.FromSeconds(2)));
        var closed = pair.ServerEvents.OfType<QuicConnectionClosed>().Single();
        Assert.True(closed.ByPeer);
        Assert.True(closed.IsApplicationError);
        Assert.Equal(0x100UL, closed.ErrorCode);
        Assert.Equal("bye", closed.Reason);
        Assert.True(pair.RunUntil(() => pair.Client.IsTerminated && pair.Server.IsTerminated, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void IdleTimeout_EndsAQuietConnection()
    {
        var pair = new QuicPair(client: o => o with { IdleTimeout = TimeSpan.FromSeconds(2) });
        pair.RunUntil(() => pair.Client.IsHandshakeConfirmed);
        Assert.True(pair.RunUntil(() => pair.Client.IsTerminated, TimeSpan.FromSeconds(10)));
        Assert.Contains("idle timeout", pair.Client.CloseReason!.Reason);
    }

    [Fact]
    public void WrongServerName_FailsWithCryptoError()
    {
        var pair = new QuicPair(client: o => o with { ServerName = "example.test" });
        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicConnectionClosed>().Any(), TimeSpan.FromSeconds(5)));
        var closed = pair.ClientEvents.OfType<QuicConnectionClosed>().Single();
        Assert.False(closed.ByPeer);
        Assert.InRange(closed.ErrorCode, 0x100UL, 0x1ffUL);
        Assert.Contains("CRYPTO_ERROR", closed.Describe());
    }

    private static void EchoAndCollect(QuicPair pair, long id, List<byte> echoed, ref bool serverDone)
    {
        var buffer = new byte[1024];
        var read = pair.Server.ReadStream(id, buffer, out var fin);
        if (!serverDone && (read > 0 || fin))
        {
            pair.Server.WriteStream(id, buffer.AsSpan(0, read), fin);
            serverDone = fin;
        }

        read = pair.Client.ReadStream(id, buffer, out _);
        echoed.AddRange(buffer.Take(read));
    }
}
