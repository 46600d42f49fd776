using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Tests.Quic;

namespace Hxi.Fuzz.Targets;

/// <summary>The frames of a decrypted QUIC packet (RFC 9000 Section 12.4 and 19), checked against a packet space, shown and written back.</summary>
/// <remarks>Input: one option byte (bits 0-1: Initial, Handshake, 0-RTT or 1-RTT), then the payload.</remarks>
public static class QuicFramesTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        var space = (QuicPacketSpaces)(1 << (input.TakeByte() & 3));
        Decode(input.TakeAll().ToArray(), space);
    }

    /// <summary>Decodes a payload in <paramref name="space"/>; shared with the packet target.</summary>
    public static void Decode(ReadOnlyMemory<byte> payload, QuicPacketSpaces space)
    {
        try
        {
            foreach (var frame in QuicFrameDecoder.DecodeAll(payload, space))
            {
                _ = frame.ToString();
                if (!frame.TryWrite(new byte[frame.GetByteCount()], out _))
                {
                    throw new InvalidOperationException($"a decoded {frame.GetType().Name} does not fit its own GetByteCount");
                }
            }
        }
        catch (QuicTransportException)
        {
        }
    }

    public static IEnumerable<QuicFrame> SampleFrames()
    {
        byte[] token = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        yield return new AckFrame(1234, [new QuicAckRange(90, 100), new QuicAckRange(50, 80), new QuicAckRange(3, 3)]);
        yield return new AckFrame(7, [new QuicAckRange(1, 1_000_000)], new QuicEcnCounts(10, 0, 2));
        yield return new ResetStreamFrame(4, 0x10c, 1_000_000);
        yield return new StopSendingFrame(8, 0x10b);
        yield return new CryptoFrame(16_384, new byte[30]);
        yield return new NewTokenFrame(new byte[] { 1, 2, 3 });
        yield return new StreamFrame(0, 0, "GET /"u8.ToArray(), Fin: true);
        yield return new StreamFrame(4, 1 << 20, "body"u8.ToArray(), Fin: false);
        yield return new MaxDataFrame(1 << 30);
        yield return new MaxStreamDataFrame(4, 65_536);
        yield return new MaxStreamsFrame(true, 100);
        yield return new DataBlockedFrame(1 << 20);
        yield return new StreamDataBlockedFrame(0, 9_999);
        yield return new StreamsBlockedFrame(false, 3);
        yield return new NewConnectionIdFrame(1, 0, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, token);
        yield return new RetireConnectionIdFrame(3);
        yield return new PathChallengeFrame(0x0123456789abcdef);
        yield return new PathResponseFrame(0xfedcba9876543210);
        yield return ConnectionCloseFrame.Transport(QuicTransportErrorCode.ProtocolViolation, 0x08, "bad stream");
        yield return ConnectionCloseFrame.Application(0x0100, "H3_NO_ERROR");
        yield return HandshakeDoneFrame.Instance;
        yield return PingFrame.Instance;
        yield return new PaddingFrame(3);
        yield return new StreamFrame(2, 7, "tail"u8.ToArray(), Fin: true, HasLength: false);
    }

    public static IEnumerable<byte[]> Seeds()
    {
        yield return [0, .. SeedBuilder.Hex(Rfc9001Vectors.ClientCryptoFrame), 0, 0, 0];
        yield return [0, .. SeedBuilder.Hex(Rfc9001Vectors.ServerPayload)];
        yield return [1, .. new CryptoFrame(0, SeedBuilder.Hex(QuicVectors.Rfc8448Messages[2])).ToArray(), .. PingFrame.Instance.ToArray()];
        var all = SampleFrames().ToList();
        yield return [3, .. all.SelectMany(f => f.ToArray())];
        foreach (var frame in all)
        {
            yield return [3, .. frame.ToArray()];
        }
    }
}
