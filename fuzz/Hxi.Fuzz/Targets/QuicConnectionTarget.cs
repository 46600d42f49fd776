using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Fuzz.Targets;

/// <summary>
/// QUIC frames applied by a connection (RFC 9000 Sections 2-4, 13, 19): a client and a server start in the 1-RTT
/// state (<see cref="QuicConnection.CreateEstablishedPair"/>: fixed traffic secrets, each other's transport
/// parameters, no handshake), both open a stream, then one sends the input's frames exactly as given (the REPL's raw
/// frames) in 1-RTT packets and the other applies them: stream data, resets, flow control, ACK ranges, connection
/// IDs, tokens, close. Errors are the connection's to handle: nothing may escape it.
/// </summary>
/// <remarks>
/// The handshake itself is tls-handshake's to fuzz: here it was the same for every input and took nearly all of its
/// time (about 300 inputs a second on an idle core). CRYPTO frames at 1-RTT are buffered, as no TLS runs to read them.
/// <para>Input: one option byte (bit 0: the client receives; else the server does), then frames as on the wire.</para>
/// </remarks>
public static class QuicConnectionTarget
{
    private const int MaxRawFrame = 1200 - 64;

    // Datagrams and stream reads go through one buffer per thread, not 64 KB allocated and zeroed per input.
    [ThreadStatic]
    private static byte[]? t_buffer;

    // Any 32 bytes are a TLS_AES_128_GCM_SHA256 traffic secret; these two stand for a handshake's.
    private static readonly byte[] ClientSecret = [.. Enumerable.Repeat((byte)0xc1, 32)];
    private static readonly byte[] ServerSecret = [.. Enumerable.Repeat((byte)0x5e, 32)];

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

        var now = TimeSpan.FromSeconds(1);
        var (client, server) = QuicConnection.CreateEstablishedPair(
            new QuicConnectionOptions
            {
                Role = QuicRole.Client,
                ServerName = "localhost",
                Random = new Random(1),
                InitialMaxData = 64 * 1024,
                InitialMaxStreamData = 16 * 1024,
                MaxStreamsBidirectional = 4,
                MaxStreamsUnidirectional = 4,
            },
            new QuicConnectionOptions
            {
                Role = QuicRole.Server,
                Random = new Random(2),
                InitialMaxData = 64 * 1024,
                InitialMaxStreamData = 16 * 1024,
                MaxStreamsBidirectional = 4,
                MaxStreamsUnidirectional = 4,
            },
            QuicCipherSuite.Aes128GcmSha256,
            ClientSecret,
            ServerSecret,
            now);
        var buffer = t_buffer ??= new byte[65_536];

        long stream = client.OpenStream(bidirectional: true);
        client.WriteStream(stream, "GET /"u8, fin: false);
        long push = server.OpenStream(bidirectional: false);
        server.WriteStream(push, "pushed"u8, fin: false);
        // The same for every input: its events are not described (their text is the same each time).
        Pump(client, server, buffer, ref now, 4, describe: false);

        var sender = toClient ? server : client;
        foreach (var frame in frames.Where(f => f.GetByteCount() <= MaxRawFrame))
        {
            sender.SendRawFrame(frame);
        }

        Pump(client, server, buffer, ref now, 12, describe: true);
    }

    /// <summary>Moves datagrams both ways, reads streams and events, fires timers, for <paramref name="rounds"/> rounds of 5 ms.</summary>
    private static void Pump(QuicConnection client, QuicConnection server, byte[] buffer, ref TimeSpan now, int rounds, bool describe)
    {
        for (int round = 0; round < rounds; round++)
        {
            Move(client, server, buffer, now);
            Move(server, client, buffer, now);
            Drain(client, buffer, describe);
            Drain(server, buffer, describe);
            now += TimeSpan.FromMilliseconds(5);
            FireTimer(client, now);
            FireTimer(server, now);
        }
    }

    private static void FireTimer(QuicConnection connection, TimeSpan now)
    {
        if (connection.NextTimeout is { } due && due <= now)
        {
            connection.HandleTimeout(now);
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

    private static void Drain(QuicConnection connection, byte[] buffer, bool describe)
    {
        while (connection.TryPollEvent(out var e))
        {
            if (describe)
            {
                _ = e.ToString();
            }
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
