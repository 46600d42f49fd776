using System.Security.Cryptography;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Tests.QuicConnection;

/// <summary>The handshake variants and the failure paths of RFC 9000 on the in-memory pair.</summary>
public class QuicConnectionRecoveryTests
{
    [Fact]
    public void Rfc9846_4_1_4_HelloRetryRequest_WhenTheServerWantsAnotherGroup()
    {
        var pair = new QuicPair(
            client: o => o with { Groups = [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1] },
            server: o => o with { Groups = [TlsNamedGroup.Secp256r1] });
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed, TimeSpan.FromSeconds(5)), string.Join("\n", pair.Trace));
        Assert.Equal("Secp256r1", pair.ClientEvents.OfType<QuicHandshakeCompleted>().Single().Group);
    }

    [Fact]
    public void ManyStreams_AtOnce_AllComplete()
    {
        var pair = new QuicPair();
        pair.RunUntil(() => pair.Client.IsHandshakeComplete);
        var ids = Enumerable.Range(0, 50).Select(i =>
        {
            var id = pair.Client.OpenStream(bidirectional: true);
            pair.Client.WriteStream(id, RandomNumberGenerator.GetBytes(20_000 + i), fin: true);
            return id;
        }).ToList();
        var received = ids.ToDictionary(id => id, _ => 0L);
        var finished = new HashSet<long>();
        var buffer = new byte[65_536];
        Assert.True(pair.RunUntil(() => finished.Count == ids.Count, TimeSpan.FromSeconds(30), () =>
        {
            foreach (var id in ids.Where(id => !finished.Contains(id)))
            {
                int read;
                bool fin;
                do
                {
                    read = pair.Server.ReadStream(id, buffer, out fin);
                    received[id] += read;
                }
                while (read > 0);

                if (fin)
                {
                    finished.Add(id);
                }
            }
        }));
        Assert.All(ids.Select((id, i) => (id, i)), x => Assert.Equal(20_000 + x.i, received[x.id]));
    }

    [Fact]
    public void CorruptedDatagrams_AreDropped_AndRecoveryCarriesOn()
    {
        var link = new Link(Corrupt: 0.05);
        var pair = new QuicPair(link, link, seed: 9);
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeComplete, TimeSpan.FromSeconds(20)));
        var id = pair.Client.OpenStream(bidirectional: true);
        var body = RandomNumberGenerator.GetBytes(300_000);
        pair.Client.WriteStream(id, body, fin: true);
        var received = new MemoryStream();
        var done = false;
        var buffer = new byte[65_536];
        Assert.True(pair.RunUntil(() => done, TimeSpan.FromSeconds(60), () =>
        {
            int read;
            while ((read = pair.Server.ReadStream(id, buffer, out var fin)) > 0 || fin)
            {
                received.Write(buffer, 0, read);
                done |= fin;
                if (fin)
                {
                    break;
                }
            }
        }));
        Assert.Equal(body, received.ToArray());
        Assert.True(pair.Server.Statistics.PacketsDropped + pair.Client.Statistics.PacketsDropped > 0);
    }

    [Fact]
    public void Rfc9000_10_3_StatelessReset_EndsTheConnection()
    {
        var pair = new QuicPair();
        pair.RunUntil(() => pair.Client.IsHandshakeConfirmed);
        var token = pair.Client.PeerParameters!.StatelessResetToken!;
        var reset = RandomNumberGenerator.GetBytes(40);
        reset[0] = (byte)(0x40 | (reset[0] & 0x3f));
        token.CopyTo(reset.AsSpan(reset.Length - 16));
        pair.Client.ReceiveDatagram(reset, pair.Now);
        Assert.True(pair.Client.IsTerminated);
        Assert.Contains("stateless reset", pair.Client.CloseReason!.Reason);
    }

    [Fact]
    public void Rfc9000_4_1_FlowControlViolation_ClosesWithFlowControlError()
    {
        var pair = new QuicPair(server: o => o with { InitialMaxStreamData = 500 });
        pair.RunUntil(() => pair.Client.IsHandshakeComplete);
        var id = pair.Client.OpenStream(bidirectional: true);
        // A raw STREAM frame past the server's 500-byte stream limit: the client breaks the rule on purpose.
        pair.Client.SendRawFrame(new Hxi.Protocols.Quic.Frames.StreamFrame((ulong)id, 0, new byte[1000], false));
        Assert.True(pair.RunUntil(() => pair.ServerEvents.OfType<QuicConnectionClosed>().Any(), TimeSpan.FromSeconds(5)));
        var closed = pair.ServerEvents.OfType<QuicConnectionClosed>().Single();
        Assert.Equal("FLOW_CONTROL_ERROR", Hxi.Protocols.Quic.QuicTransportErrorCodes.Name(closed.ErrorCode));
        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicConnectionClosed>().Any(c => c.ByPeer), TimeSpan.FromSeconds(5)));
    }
}
