using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Tests.Quic;

/// <summary>
/// The allocation-free reader of bulk 1-RTT frames must accept only what <see cref="QuicFrameDecoder"/> accepts and read
/// the same fields; whatever it gives up on, the decoder handles (and rejects with the RFC's code).
/// </summary>
public class QuicBulkFrameReaderTests
{
    [Fact]
    public void ReadsPaddingPingAckAndStream_AsTheDecoderDoes()
    {
        var payload = Concat(
            new AckFrame(12, [new QuicAckRange(90, 100), new QuicAckRange(50, 80), new QuicAckRange(0, 10)]).ToArray(),
            new PingFrame().ToArray(),
            new StreamFrame(4, 1_000, new byte[] { 1, 2, 3 }, Fin: false).ToArray(),
            new StreamFrame(8, 0, new byte[] { 9 }, Fin: true).ToArray(),
            new byte[5],
            new StreamFrame(12, 77, new byte[] { 5, 6 }, Fin: true, HasLength: false).ToArray());

        AssertSameAsDecoder(payload);
    }

    [Fact]
    public void Rfc9000_19_3_2_ReadsAckEcnCounts_AsTheDecoderDoes()
    {
        var payload = Concat(
            new AckFrame(7, [new QuicAckRange(30, 40), new QuicAckRange(0, 20)], new QuicEcnCounts(35, 0, 4)).ToArray(),
            new StreamFrame(4, 0, new byte[] { 1 }, Fin: false).ToArray());

        AssertSameAsDecoder(payload);
        var reader = new QuicBulkFrameReader(payload);
        Assert.True(reader.TryRead(out var ack));
        Assert.True(ack.IsAck);
        Assert.Equal(new QuicEcnCounts(35, 0, 4), ack.EcnCounts);
    }

    [Fact]
    public void GivesUpOnTruncatedEcnCounts()
    {
        var ackEcn = new AckFrame(0, [new QuicAckRange(0, 1)], new QuicEcnCounts(1, 2, 300)).ToArray();
        Assert.False(Accepts(ackEcn[..^1]));
        Assert.Throws<QuicTransportException>(() => QuicFrameDecoder.DecodeAll(ackEcn[..^1], QuicPacketSpaces.OneRtt));
    }

    [Fact]
    public void GivesUpOnOtherFrames()
    {
        Assert.False(Accepts(Concat(new PingFrame().ToArray(), new MaxDataFrame(100).ToArray())));
        Assert.False(Accepts(new CryptoFrame(0, new byte[] { 1 }).ToArray()));
        Assert.False(Accepts([]));
    }

    [Fact]
    public void GivesUpOnMalformedFrames()
    {
        Assert.False(Accepts([0x02, 0x05, 0x00, 0x00, 0x06])); // first ACK range below packet 0
        Assert.False(Accepts([0x0a, 0x00, 0x05, 0x01])); // Length past the end
        Assert.False(Accepts([0x40, 0x01])); // frame type not in its shortest encoding
        Assert.False(Accepts([0x0e, 0x00])); // truncated Offset
    }

    [Fact]
    public void MutatedPayloads_AreReadAsTheDecoderReadsThem()
    {
        var random = new Random(5);
        var valid = Concat(
            new AckFrame(3, [new QuicAckRange(400, 410), new QuicAckRange(20, 390)]).ToArray(),
            new AckFrame(3, [new QuicAckRange(500, 510)], new QuicEcnCounts(9, 0, 1)).ToArray(),
            new StreamFrame(0, 300_000, new byte[40], Fin: false).ToArray(),
            new PingFrame().ToArray());
        for (var i = 0; i < 5_000; i++)
        {
            var payload = valid.ToArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                payload[random.Next(payload.Length)] = (byte)random.Next(256);
            }

            payload = payload[..random.Next(1, payload.Length + 1)];
            if (Accepts(payload))
            {
                AssertSameAsDecoder(payload);
            }
        }
    }

    private static bool Accepts(byte[] payload)
    {
        if (payload.Length == 0)
        {
            return false;
        }

        var reader = new QuicBulkFrameReader(payload);
        while (reader.TryRead(out _))
        {
        }

        return !reader.GaveUp;
    }

    private static void AssertSameAsDecoder(byte[] payload)
    {
        Assert.True(Accepts(payload));
        var decoded = QuicFrameDecoder.DecodeAll(payload, QuicPacketSpaces.OneRtt).Where(f => f is not PaddingFrame).ToList();
        var read = new List<string>();
        var ranges = new List<(long Smallest, long Largest)>();
        var reader = new QuicBulkFrameReader(payload);
        while (reader.TryRead(out var frame))
        {
            if (frame.IsStream)
            {
                read.Add(new StreamFrame(frame.StreamId, frame.Offset, payload.AsMemory(frame.DataOffset, frame.DataLength), frame.Fin, (frame.TypeCode & StreamFrame.LenBit) != 0).ToString()
                    + Hex.Format(payload.AsSpan(frame.DataOffset, frame.DataLength)));
            }
            else if (frame.IsAck)
            {
                reader.CopyAckRanges(frame, ranges);
                read.Add(new AckFrame(frame.AckDelay, ranges.Select(r => new QuicAckRange((ulong)r.Smallest, (ulong)r.Largest)).ToList(), frame.EcnCounts).ToString());
            }
            else if (frame.TypeCode == 0x01)
            {
                read.Add(new PingFrame().ToString());
            }
        }

        var expected = decoded.Select(f => f is StreamFrame s ? s.ToString() + Hex.Format(s.Data.Span) : f.ToString()).ToList();
        Assert.Equal(expected, read);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
