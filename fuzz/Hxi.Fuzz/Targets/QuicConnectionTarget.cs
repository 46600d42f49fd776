using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Fuzz.Targets;

/// <summary>
/// QUIC frames applied by a connection (RFC 9000 Sections 2-4, 13, 19): a client and a server complete their
/// handshake in memory, both open a stream, then one sends the input's frames exactly as given (the REPL's raw
/// frames) in 1-RTT packets and the other applies them: stream data, resets, flow control, ACK ranges, connection
/// IDs, tokens, close. Errors are the connection's to handle: nothing may escape it.
/// </summary>
/// <remarks>Input: one option byte (bit 0: the client receives; else the server does), then frames as on the wire.</remarks>
public static class QuicConnectionTarget
{
    private const int MaxRawFrame = 1200 - 64;

    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        bool toClient = (input.TakeByte() & 1) != 0;
        var frames = new List<QuicFrame>();
        ReadOnlyMemory<byte> payload = input.TakeAll().ToArray();
        try
        {
            for (int offset = 0; offset < payload.Length && frames.Count < 64;)
            {
                frames.Add(QuicFrameDecoder.Decode(payload, ref offset));
            }
        }
        catch (QuicTransportException)
        {
            // The decoder has its own target: here the frames up to the first malformed one are enough.
        }

        var client = new QuicConnection(new QuicConnectionOptions
        {
            Role = QuicRole.Client,
            ServerName = "localhost",
            Insecure = true,
            Random = new Random(1),
            KeyExchangeFactory = FixedKeyExchanges.Client.Create,
            InitialMaxData = 64 * 1024,
            InitialMaxStreamData = 16 * 1024,
            MaxStreamsBidirectional = 4,
            MaxStreamsUnidirectional = 4,
        });
        var server = new QuicConnection(new QuicConnectionOptions
        {
            Role = QuicRole.Server,
            Certificate = TlsHandshakeTarget.ServerCertificate.Value,
            Random = new Random(2),
            KeyExchangeFactory = FixedKeyExchanges.Server.Create,
            InitialMaxData = 64 * 1024,
            InitialMaxStreamData = 16 * 1024,
            MaxStreamsBidirectional = 4,
            MaxStreamsUnidirectional = 4,
        });
        var now = TimeSpan.FromSeconds(1);
        client.Start(now);
        var buffer = new byte[65_536];
        Pump(client, server, buffer, ref now, 20, () => client.IsHandshakeConfirmed && server.IsHandshakeComplete);
        if (!client.IsHandshakeComplete || !server.IsHandshakeComplete)
        {
            throw new InvalidOperationException("the in-memory handshake did not complete");
        }

        long stream = client.OpenStream(bidirectional: true);
        client.WriteStream(stream, "GET /"u8, fin: false);
        long push = server.OpenStream(bidirectional: false);
        server.WriteStream(push, "pushed"u8, fin: false);
        Pump(client, server, buffer, ref now, 4, () => false);

        var sender = toClient ? server : client;
        foreach (var frame in frames.Where(f => f.GetByteCount() <= MaxRawFrame))
        {
            sender.SendRawFrame(frame);
        }

        Pump(client, server, buffer, ref now, 12, () => false);
    }

    /// <summary>Moves datagrams both ways, reads streams and events, fires timers, for at most <paramref name="rounds"/> rounds.</summary>
    private static void Pump(QuicConnection client, QuicConnection server, byte[] buffer, ref TimeSpan now, int rounds, Func<bool> done)
    {
        for (int round = 0; round < rounds && !done(); round++)
        {
            Move(client, server, buffer, now);
            Move(server, client, buffer, now);
            Drain(client, buffer);
            Drain(server, buffer);
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

    private static void Move(QuicConnection from, QuicConnection to, byte[] buffer, TimeSpan now)
    {
        int length;
        for (int guard = 0; guard < 64 && (length = from.WriteDatagram(buffer, now)) > 0; guard++)
        {
            to.ReceiveDatagram(buffer.AsSpan(0, length), now);
        }
    }

    private static void Drain(QuicConnection connection, byte[] buffer)
    {
        while (connection.TryPollEvent(out var e))
        {
            _ = e.ToString();
        }

        foreach (var id in connection.ReadableStreams().ToList())
        {
            connection.ReadStream(id, buffer, out _);
        }
    }

    public static IEnumerable<byte[]> Seeds()
    {
        byte[] token = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        QuicFrame[][] conversations =
        [
            [new StreamFrame(0, 0, "response"u8.ToArray(), Fin: true), new MaxDataFrame(1 << 20), new MaxStreamDataFrame(0, 1 << 18)],
            [new StreamFrame(1, 0, "server stream"u8.ToArray(), Fin: false), new StreamFrame(1, 100, "gap"u8.ToArray(), Fin: true), new ResetStreamFrame(1, 7, 103)],
            [new StreamFrame(3, 0, "uni"u8.ToArray(), Fin: true), new StopSendingFrame(0, 0x10c), new MaxStreamsFrame(true, 10), new StreamsBlockedFrame(false, 4)],
            [new NewConnectionIdFrame(1, 0, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, token), new NewConnectionIdFrame(2, 1, new byte[] { 9, 9, 9, 9 }, token), new RetireConnectionIdFrame(0)],
            [new AckFrame(3, [new QuicAckRange(0, 3)]), new PathChallengeFrame(42), new NewTokenFrame(new byte[] { 1, 2, 3 }), PingFrame.Instance],
            [new DataBlockedFrame(65_536), new StreamDataBlockedFrame(0, 16_384), ConnectionCloseFrame.Application(0x100, "bye")],
            [new CryptoFrame(0, new byte[] { 4, 0, 0, 0 }), HandshakeDoneFrame.Instance],
        ];
        foreach (var frames in conversations)
        {
            var bytes = frames.SelectMany(f => f.ToArray()).ToArray();
            yield return [1, .. bytes];
            yield return [0, .. bytes];
        }
    }
}
