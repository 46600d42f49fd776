using System.Security.Cryptography;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;
using QuicConnectionCore = Hxi.Protocols.Quic.Connection.QuicConnection;

namespace Hxi.Protocols.Tests.QuicConnection;

/// <summary>Connection IDs on the in-memory pair: issuing, switching, retiring, loss, and zero-length IDs (RFC 9000 Section 5.1).</summary>
public class QuicConnectionIdTests
{
    [Theory]
    [InlineData(4, 4, 4, 4)]
    [InlineData(4, 2, 4, 2)]
    [InlineData(10, 3, QuicConnectionCore.MaxIssuedConnectionIds, 3)]
    public void Rfc9000_5_1_1_EachSide_IssuesUpToThePeersLimit(int clientLimit, int serverLimit, int clientHolds, int serverHolds)
    {
        var pair = new QuicPair(
            client: o => o with { ActiveConnectionIdLimit = clientLimit },
            server: o => o with { ActiveConnectionIdLimit = serverLimit });
        Assert.True(pair.RunUntil(() => pair.Client.PeerConnectionIds.Count == clientHolds && pair.Server.PeerConnectionIds.Count == serverHolds,
            TimeSpan.FromSeconds(5)), Transcript(pair));
        // Nothing more follows once the peer is topped up.
        pair.RunUntil(() => false, TimeSpan.FromSeconds(1));

        Assert.Equal(Sequences(0, clientHolds), pair.Client.PeerConnectionIds.Keys.Order());
        Assert.Equal(Sequences(0, serverHolds), pair.Server.PeerConnectionIds.Keys.Order());
        AssertSameIds(pair.Server.LocalConnectionIds, pair.Client.PeerConnectionIds);
        AssertSameIds(pair.Client.LocalConnectionIds, pair.Server.PeerConnectionIds);
        var all = pair.Client.LocalConnectionIds.Values.Concat(pair.Server.LocalConnectionIds.Values).Select(id => Convert.ToHexString(id.Span)).ToList();
        Assert.All(all, id => Assert.Equal(16, id.Length));
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(Sequences(1, clientHolds - 1), pair.ServerEvents.OfType<QuicConnectionIdIssued>().Select(e => e.SequenceNumber));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rfc9000_5_1_2_SwitchingToAnIssuedId_MidTransfer_KeepsTheTransferGoing(bool clientSwitches)
    {
        var pair = new QuicPair();
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed && pair.Client.PeerConnectionIds.Count == 4 && pair.Server.PeerConnectionIds.Count == 4));
        var (switcher, peer, peerEvents) = clientSwitches ? (pair.Client, pair.Server, pair.ServerEvents) : (pair.Server, pair.Client, pair.ClientEvents);
        var handshakeId = switcher.DestinationConnectionId.ToArray();
        var next = switcher.PeerConnectionIds[1].ToArray();
        var droppedBefore = peer.Statistics.PacketsDropped;

        var body = RandomNumberGenerator.GetBytes(1_000_000);
        var id = pair.Client.OpenStream(bidirectional: true);
        pair.Client.WriteStream(id, body, fin: true);
        var received = new MemoryStream();
        var finished = false;
        var switchedAt = -1L;
        var buffer = new byte[65_536];
        Assert.True(pair.RunUntil(() => finished, TimeSpan.FromSeconds(30), () =>
        {
            int read;
            while ((read = pair.Server.ReadStream(id, buffer, out var fin)) > 0 || fin)
            {
                received.Write(buffer, 0, read);
                finished |= fin;
                if (fin)
                {
                    break;
                }
            }

            if (switchedAt < 0 && received.Length >= body.Length / 3)
            {
                Assert.True(switcher.SwitchDestinationConnectionId());
                switchedAt = received.Length;
            }
        }), $"stalled at {received.Length} of {body.Length} bytes, switched at {switchedAt}\n{Transcript(pair)}");

        Assert.InRange(switchedAt, body.Length / 3, body.Length - 1);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(received.ToArray()));
        Assert.Equal(1UL, switcher.DestinationSequenceNumber);
        Assert.Equal(next, switcher.DestinationConnectionId.ToArray());
        Assert.Equal(droppedBefore, peer.Statistics.PacketsDropped);
        // The peer took the RETIRE_CONNECTION_ID for its handshake ID and issued a fifth ID in its place.
        Assert.True(pair.RunUntil(() => switcher.PeerConnectionIds.Count == 4, TimeSpan.FromSeconds(2)));
        var retired = Assert.Single(peerEvents.OfType<QuicConnectionIdRetired>());
        Assert.Equal(0UL, retired.SequenceNumber);
        Assert.Equal(handshakeId, retired.ConnectionId);
        Assert.Equal(Sequences(1, 4), peer.LocalConnectionIds.Keys.Order());
        AssertSameIds(peer.LocalConnectionIds, switcher.PeerConnectionIds);
    }

    [Fact]
    public void Rfc9000_5_1_1_EveryRetirement_IsAnsweredWithAReplacement()
    {
        var pair = new QuicPair();
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed && pair.Client.PeerConnectionIds.Count == 4));
        for (var round = 1UL; round <= 6; round++)
        {
            Assert.True(pair.Client.SwitchDestinationConnectionId());
            Assert.Equal(round, pair.Client.DestinationSequenceNumber);
            Assert.Equal(3, pair.Client.PeerConnectionIds.Count);
            Assert.True(pair.RunUntil(() => pair.Client.PeerConnectionIds.ContainsKey(round + 3), TimeSpan.FromSeconds(2)), Transcript(pair));
        }

        Assert.Equal(Sequences(6, 4), pair.Server.LocalConnectionIds.Keys.Order());
        AssertSameIds(pair.Server.LocalConnectionIds, pair.Client.PeerConnectionIds);
        Assert.Equal(Sequences(0, 6), pair.ServerEvents.OfType<QuicConnectionIdRetired>().Select(e => e.SequenceNumber));
        Assert.Equal(Sequences(1, 9), pair.ServerEvents.OfType<QuicConnectionIdIssued>().Select(e => e.SequenceNumber));

        // The connection still carries data, to the ID issued last.
        var id = pair.Client.OpenStream(bidirectional: true);
        pair.Client.WriteStream(id, "still here"u8, fin: true);
        var buffer = new byte[64];
        var read = 0;
        Assert.True(pair.RunUntil(() => read > 0, TimeSpan.FromSeconds(2), () => read += pair.Server.ReadStream(id, buffer.AsSpan(read), out _)));
        Assert.Equal("still here"u8.ToArray(), buffer[..read]);
    }

    [Theory]
    [InlineData(4UL, "never issued")]
    [InlineData(99UL, "never issued")]
    [InlineData(0UL, "in a packet sent to that connection ID")]
    public void Rfc9000_19_16_RetiringAnUnissuedIdOrThePacketsOwn_IsProtocolViolation(ulong sequence, string reason)
    {
        var pair = new QuicPair();
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed && pair.Client.PeerConnectionIds.Count == 4));
        // Sequences 0..3 are issued and the client sends to 0.
        pair.Client.SendRawFrame(new RetireConnectionIdFrame(sequence));

        Assert.True(pair.RunUntil(() => pair.ServerEvents.OfType<QuicConnectionClosed>().Any(), TimeSpan.FromSeconds(2)));
        var closed = pair.ServerEvents.OfType<QuicConnectionClosed>().Single();
        Assert.Equal("PROTOCOL_VIOLATION", QuicTransportErrorCodes.Name(closed.ErrorCode));
        Assert.Equal((ulong)QuicFrameType.RetireConnectionId, closed.FrameType);
        Assert.Contains(reason, closed.Reason);
        Assert.Empty(pair.ServerEvents.OfType<QuicConnectionIdRetired>());
        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicConnectionClosed>().Any(c => c.ByPeer), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Rfc9000_5_1_1_MoreIdsThanOurLimit_IsConnectionIdLimitError()
    {
        var pair = new QuicPair();
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed && pair.Client.PeerConnectionIds.Count == 4));
        pair.Server.SendRawFrame(new NewConnectionIdFrame(10, 0, RandomNumberGenerator.GetBytes(8), new byte[16]));

        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicConnectionClosed>().Any(), TimeSpan.FromSeconds(2)));
        var closed = pair.ClientEvents.OfType<QuicConnectionClosed>().Single();
        Assert.Equal("CONNECTION_ID_LIMIT_ERROR", QuicTransportErrorCodes.Name(closed.ErrorCode));
        Assert.Equal((ulong)QuicFrameType.NewConnectionId, closed.FrameType);
    }

    [Fact]
    public void Rfc9000_13_3_LostNewConnectionIdFrames_AreSentAgain()
    {
        var pair = new QuicPair();
        var sends = new Dictionary<(bool FromServer, ulong Sequence), int>();
        // Each side's first datagram carrying a given NEW_CONNECTION_ID is lost.
        bool LoseFirst(IReadOnlyList<QuicFrame> frames, bool fromServer)
        {
            var drop = false;
            foreach (var frame in frames.OfType<NewConnectionIdFrame>())
            {
                var key = (fromServer, frame.SequenceNumber);
                sends[key] = sends.GetValueOrDefault(key) + 1;
                drop |= sends[key] == 1;
            }

            return drop;
        }

        pair.DropToClientWhen = frames => LoseFirst(frames, fromServer: true);
        pair.DropToServerWhen = frames => LoseFirst(frames, fromServer: false);
        Assert.True(pair.RunUntil(() => pair.Client.PeerConnectionIds.Count == 4 && pair.Server.PeerConnectionIds.Count == 4, TimeSpan.FromSeconds(10)), Transcript(pair));

        foreach (var fromServer in new[] { true, false })
        {
            foreach (var sequence in Sequences(1, 3))
            {
                Assert.True(sends.GetValueOrDefault((fromServer, sequence)) >= 2, $"{(fromServer ? "server" : "client")} sequence {sequence} went out {sends.GetValueOrDefault((fromServer, sequence))} times");
            }
        }

        AssertSameIds(pair.Server.LocalConnectionIds, pair.Client.PeerConnectionIds);
        AssertSameIds(pair.Client.LocalConnectionIds, pair.Server.PeerConnectionIds);
    }

    [Fact]
    public void Rfc9000_10_3_1_OnlyTheTokenOfTheIdInUse_EndsTheConnection()
    {
        var pair = new QuicPair();
        var tokens = new Dictionary<ulong, byte[]>();
        pair.DropToClientWhen = frames =>
        {
            foreach (var frame in frames.OfType<NewConnectionIdFrame>())
            {
                tokens[frame.SequenceNumber] = frame.StatelessResetToken.ToArray();
            }

            return false;
        };
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed && pair.Client.PeerConnectionIds.Count == 4));
        var handshakeToken = pair.Client.PeerParameters!.StatelessResetToken!;
        Assert.True(pair.Client.SwitchDestinationConnectionId());

        // Sequence 0 is retired and sequence 2 unused: their tokens must not count (RFC 9000 Section 10.3.1).
        pair.Client.ReceiveDatagram(StatelessReset(handshakeToken), pair.Now);
        pair.Client.ReceiveDatagram(StatelessReset(tokens[2]), pair.Now);
        Assert.False(pair.Client.IsTerminated);

        pair.Client.ReceiveDatagram(StatelessReset(tokens[1]), pair.Now);
        Assert.True(pair.Client.IsTerminated);
        Assert.Contains("stateless reset", pair.Client.CloseReason!.Reason);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rfc9000_5_1_1_ZeroLengthId_WorksBothWays_AndIsNeverReplaced(bool clientZeroLength)
    {
        var newIdsFromZeroSide = 0;
        var pair = new QuicPair(
            client: o => clientZeroLength ? o with { ConnectionIdLength = 0 } : o,
            server: o => clientZeroLength ? o : o with { ConnectionIdLength = 0 });
        var (zero, other) = clientZeroLength ? (pair.Client, pair.Server) : (pair.Server, pair.Client);
        Func<IReadOnlyList<QuicFrame>, bool> count = frames =>
        {
            newIdsFromZeroSide += frames.OfType<NewConnectionIdFrame>().Count();
            return false;
        };
        if (clientZeroLength)
        {
            pair.DropToServerWhen = count;
        }
        else
        {
            pair.DropToClientWhen = count;
        }

        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed && zero.PeerConnectionIds.Count == 4), Transcript(pair));
        var id = pair.Client.OpenStream(bidirectional: true);
        pair.Client.WriteStream(id, "ping"u8, fin: true);
        var buffer = new byte[64];
        var echoed = new List<byte>();
        var answered = false;
        Assert.True(pair.RunUntil(() => echoed.Count == 4, TimeSpan.FromSeconds(2), () =>
        {
            var read = pair.Server.ReadStream(id, buffer, out var fin);
            if (fin && !answered)
            {
                Assert.Equal("ping"u8.ToArray(), buffer[..read]);
                pair.Server.WriteStream(id, "pong"u8, fin: true);
                answered = true;
            }

            echoed.AddRange(buffer.Take(pair.Client.ReadStream(id, buffer, out _)));
        }), Transcript(pair));

        Assert.Equal("pong"u8.ToArray(), echoed);
        Assert.True(zero.SourceConnectionId.IsEmpty);
        Assert.True(other.DestinationConnectionId.IsEmpty);
        Assert.Equal(0, newIdsFromZeroSide);
        Assert.Equal([0UL], zero.LocalConnectionIds.Keys);
        Assert.False(other.SwitchDestinationConnectionId());
        Assert.Equal(4, zero.PeerConnectionIds.Count);
    }

    [Fact]
    public void Rfc9000_19_15_NewConnectionIdFromAZeroLengthPeer_IsProtocolViolation()
    {
        var pair = new QuicPair(client: o => o with { ConnectionIdLength = 0 });
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed));
        pair.Client.SendRawFrame(new NewConnectionIdFrame(1, 0, RandomNumberGenerator.GetBytes(8), new byte[16]));

        Assert.True(pair.RunUntil(() => pair.ServerEvents.OfType<QuicConnectionClosed>().Any(), TimeSpan.FromSeconds(2)));
        var closed = pair.ServerEvents.OfType<QuicConnectionClosed>().Single();
        Assert.Equal("PROTOCOL_VIOLATION", QuicTransportErrorCodes.Name(closed.ErrorCode));
        Assert.Equal((ulong)QuicFrameType.NewConnectionId, closed.FrameType);
    }

    [Fact]
    public void Rfc9000_19_16_RetireToAZeroLengthEndpoint_IsProtocolViolation()
    {
        var pair = new QuicPair(client: o => o with { ConnectionIdLength = 0 });
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed));
        pair.Server.SendRawFrame(new RetireConnectionIdFrame(0));

        Assert.True(pair.RunUntil(() => pair.ClientEvents.OfType<QuicConnectionClosed>().Any(), TimeSpan.FromSeconds(2)));
        var closed = pair.ClientEvents.OfType<QuicConnectionClosed>().Single();
        Assert.Equal("PROTOCOL_VIOLATION", QuicTransportErrorCodes.Name(closed.ErrorCode));
        Assert.Contains("zero-length", closed.Reason);
    }

    private static ulong[] Sequences(int start, int count) => [.. Enumerable.Range(start, count).Select(i => (ulong)i)];

    private static void AssertSameIds(IReadOnlyDictionary<ulong, ReadOnlyMemory<byte>> issued, IReadOnlyDictionary<ulong, ReadOnlyMemory<byte>> held)
    {
        Assert.Equal(issued.Keys.Order(), held.Keys.Order());
        Assert.All(issued, entry => Assert.Equal(entry.Value.ToArray(), held[entry.Key].ToArray()));
    }

    private static byte[] StatelessReset(byte[] token)
    {
        var reset = RandomNumberGenerator.GetBytes(40);
        reset[0] = (byte)(0x40 | (reset[0] & 0x3f));
        token.CopyTo(reset.AsSpan(reset.Length - 16));
        return reset;
    }

    private static string Transcript(QuicPair pair) => string.Join("\n", pair.Trace);
}
