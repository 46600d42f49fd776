using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Tests.Quic;

public class QuicFrameCodecTests
{
    private static readonly byte[] ResetToken = Enumerable.Range(0xa0, 16).Select(i => (byte)i).ToArray();

    public static TheoryData<QuicFrame> Frames() =>
    [
        new PaddingFrame(1),
        new PaddingFrame(37),
        PingFrame.Instance,
        new AckFrame(0, [new QuicAckRange(0, 0)]),
        new AckFrame(1234, [new QuicAckRange(90, 100), new QuicAckRange(50, 80), new QuicAckRange(3, 3)]),
        new AckFrame(7, [new QuicAckRange(1, 1_000_000)], new QuicEcnCounts(10, 0, 2)),
        new ResetStreamFrame(4, 0x10c, 1_000_000),
        new StopSendingFrame(8, 0x10b),
        new CryptoFrame(0, "client hello"u8.ToArray()),
        new CryptoFrame(16_384, new byte[300]),
        new NewTokenFrame(new byte[] { 1, 2, 3 }),
        new StreamFrame(0, 0, "GET /"u8.ToArray(), Fin: true),
        new StreamFrame(4, 1 << 20, "body"u8.ToArray(), Fin: false),
        new StreamFrame(3, 0, ReadOnlyMemory<byte>.Empty, Fin: true),
        new StreamFrame(2, 7, "tail"u8.ToArray(), Fin: true, HasLength: false),
        new MaxDataFrame(1 << 30),
        new MaxStreamDataFrame(4, 65_536),
        new MaxStreamsFrame(true, 100),
        new MaxStreamsFrame(false, MaxStreamsFrame.Limit),
        new DataBlockedFrame(1 << 20),
        new StreamDataBlockedFrame(0, 9_999),
        new StreamsBlockedFrame(true, 100),
        new StreamsBlockedFrame(false, 3),
        new NewConnectionIdFrame(1, 0, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, ResetToken),
        new NewConnectionIdFrame(9, 5, new byte[20], ResetToken),
        new RetireConnectionIdFrame(3),
        new PathChallengeFrame(0x0123456789abcdef),
        new PathResponseFrame(0xfedcba9876543210),
        ConnectionCloseFrame.Transport(QuicTransportErrorCode.ProtocolViolation, 0x08, "bad stream"),
        ConnectionCloseFrame.Transport(QuicTransportErrorCodes.CryptoError(42), 0x06, ""),
        ConnectionCloseFrame.Application(0x0100, "H3_NO_ERROR"),
        HandshakeDoneFrame.Instance,
    ];

    [Theory]
    [MemberData(nameof(Frames))]
    public void Rfc9000_19_EveryFrameRoundTrips(QuicFrame frame)
    {
        var bytes = frame.ToArray();
        Assert.Equal(frame.GetByteCount(), bytes.Length);
        int offset = 0;
        var decoded = QuicFrameDecoder.Decode(bytes, ref offset);
        Assert.Equal(bytes.Length, offset);
        Assert.Equal(frame, decoded);
        Assert.Equal(bytes, decoded.ToArray());
        Assert.Equal(frame.GetHashCode(), decoded.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Rfc9000_19_EveryTruncationIsATransportError(QuicFrame frame)
    {
        var bytes = frame.ToArray();
        for (int length = 1; length < bytes.Length; length++)
        {
            var truncated = bytes.AsMemory(0, length);
            // A frame whose last field runs to the end (PADDING, STREAM without LEN) may be legitimately
            // shorter once its fixed fields are complete; before that it must fail like any other.
            if (frame is PaddingFrame || frame is StreamFrame { HasLength: false })
            {
                try
                {
                    Assert.Equal(frame.Type, QuicFrameDecoder.DecodeAll(truncated)[0].Type);
                }
                catch (QuicTransportException early)
                {
                    Assert.Equal(QuicTransportErrorCode.FrameEncodingError, early.Code);
                }

                continue;
            }

            var error = Assert.Throws<QuicTransportException>(() => QuicFrameDecoder.DecodeAll(truncated));
            Assert.Equal(QuicTransportErrorCode.FrameEncodingError, error.Code);
            Assert.Equal(frame.TypeCode, error.FrameType);
        }
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Rfc9000_19_EveryFrameDecodesOneByteAtATimeInAPacket(QuicFrame frame)
    {
        // The same frame twice in one payload, read frame by frame, ends exactly at the payload's end.
        if (frame is PaddingFrame || frame is StreamFrame { HasLength: false })
        {
            return;
        }

        var one = frame.ToArray();
        var payload = one.Concat(one).ToArray();
        var frames = QuicFrameDecoder.DecodeAll(payload);
        Assert.Equal([frame, frame], frames);
    }

    [Fact]
    public void Rfc9000_19_1_PaddingRunIsOneFrame()
    {
        var payload = new byte[] { 0x01, 0, 0, 0, 0, 0x01, 0 };
        var frames = QuicFrameDecoder.DecodeAll(payload);
        Assert.Equal([PingFrame.Instance, new PaddingFrame(4), PingFrame.Instance, new PaddingFrame(1)], frames);
    }

    [Fact]
    public void Rfc9000_19_3_1_AckRangesAreDecodedAsPacketNumbers()
    {
        // Largest 10, delay 2, 2 more ranges, first range 2 (10..8), gap 0 length 1 (6..5), gap 1 length 0 (2).
        var frame = Decode("020a020202000101 00");
        var ack = Assert.IsType<AckFrame>(frame);
        Assert.Equal([new QuicAckRange(8, 10), new QuicAckRange(5, 6), new QuicAckRange(2, 2)], ack.Ranges);
        Assert.True(ack.Acknowledges(9));
        Assert.False(ack.Acknowledges(7));
        Assert.Equal(16UL, ack.GetAckDelayMicroseconds(3));
        Assert.Equal("ACK largest=10 delay=2 ranges=[10..8, 6..5, 2]", ack.ToString());
    }

    [Theory]
    [InlineData("02050000 06", "First ACK Range")] // first range 6 below packet 0 from 5
    [InlineData("0205000105 0400", "gap")] // smallest 0, any gap goes below 0
    [InlineData("020a010100 0a", "length")] // 9..8 acknowledged then gap 0 -> 6, length 10 goes below 0
    public void Rfc9000_19_3_1_AckRangeBelowZeroIsFrameEncodingError(string hex, string reason)
    {
        var error = Assert.Throws<QuicTransportException>(() => Decode(hex));
        Assert.Equal(QuicTransportErrorCode.FrameEncodingError, error.Code);
        Assert.Contains(reason, error.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Rfc9000_19_3_HugeRangeCountDoesNotAllocateOrHang()
    {
        // ACK Range Count of 2^62-1 with nothing behind it: fails on the first missing range.
        var error = Assert.Throws<QuicTransportException>(() => Decode("020000ffffffffffffffff00"));
        Assert.Equal(QuicTransportErrorCode.FrameEncodingError, error.Code);
    }

    [Theory]
    [InlineData("0600 ffffffffffffffff", "Crypto Data")] // CRYPTO length far past the end
    [InlineData("0a00 05 6869", "Stream Data")] // STREAM with LEN, 5 bytes promised, 2 present
    [InlineData("0700", "empty token")] // NEW_TOKEN with an empty token
    [InlineData("12d000000000000001", "2^60")] // MAX_STREAMS over 2^60
    [InlineData("17d000000000000001", "2^60")] // STREAMS_BLOCKED over 2^60
    [InlineData("180103", "Retire Prior To")] // Retire Prior To above Sequence Number
    [InlineData("180000 00", "outside 1..20")] // zero-length connection ID
    [InlineData("180000 15", "outside 1..20")] // 21-byte connection ID
    [InlineData("1f", "unknown frame type")]
    [InlineData("30", "unknown frame type")] // DATAGRAM (RFC 9221) is not negotiated
    [InlineData("4100", "unknown frame type")] // a two-byte type RFC 9000 does not define
    public void Rfc9000_19_MalformedFramesAreFrameEncodingError(string hex, string reason)
    {
        var error = Assert.Throws<QuicTransportException>(() => Decode(hex));
        Assert.Equal(QuicTransportErrorCode.FrameEncodingError, error.Code);
        Assert.Contains(reason, error.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Rfc9000_19_8_StreamEndingPast2To62IsFrameEncodingError()
    {
        var error = Assert.Throws<QuicTransportException>(() => Decode("0e00 ffffffffffffffff 01 41"));
        Assert.Equal(QuicTransportErrorCode.FrameEncodingError, error.Code);
    }

    [Fact]
    public void Rfc9000_19_6_CryptoEndingPast2To62IsCryptoBufferExceeded()
    {
        var error = Assert.Throws<QuicTransportException>(() => Decode("06 ffffffffffffffff 01 41"));
        Assert.Equal(QuicTransportErrorCode.CryptoBufferExceeded, error.Code);
    }

    [Fact]
    public void Rfc9000_12_4_OverlongFrameTypeIsProtocolViolation()
    {
        var error = Assert.Throws<QuicTransportException>(() => Decode("4001"));
        Assert.Equal(QuicTransportErrorCode.ProtocolViolation, error.Code);
        Assert.Equal(1UL, error.FrameType);
    }

    [Fact]
    public void Rfc9000_12_4_EmptyPayloadIsProtocolViolation()
    {
        var error = Assert.Throws<QuicTransportException>(() => QuicFrameDecoder.DecodeAll(ReadOnlyMemory<byte>.Empty));
        Assert.Equal(QuicTransportErrorCode.ProtocolViolation, error.Code);
    }

    [Fact]
    public void Rfc9000_19_8_StreamFlagsFollowTheFields()
    {
        Assert.Equal(0x0bUL, new StreamFrame(0, 0, "x"u8.ToArray(), Fin: true).TypeCode);
        Assert.Equal(0x0eUL, new StreamFrame(0, 5, "x"u8.ToArray(), Fin: false).TypeCode);
        Assert.Equal(0x0cUL, new StreamFrame(0, 5, "x"u8.ToArray(), Fin: false, HasLength: false).TypeCode);

        // OFF set with an explicit zero offset still decodes to offset 0.
        var frame = Assert.IsType<StreamFrame>(Decode("0e04 00 02 6869"));
        Assert.Equal(new StreamFrame(4, 0, "hi"u8.ToArray(), Fin: false), frame);
    }

    [Fact]
    public void Rfc9000_19_EncodingRejectsWhatTheWireCannotCarry()
    {
        Assert.Throws<InvalidOperationException>(() => new AckFrame(0, []).ToArray());
        Assert.Throws<InvalidOperationException>(() => new AckFrame(0, [new QuicAckRange(5, 6), new QuicAckRange(4, 4)]).ToArray());
        Assert.Throws<InvalidOperationException>(() => new NewConnectionIdFrame(0, 0, new byte[21], ResetToken).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new PaddingFrame(0));
        Assert.False(PingFrame.Instance.TryWrite([], out int written));
        Assert.Equal(0, written);
    }

    private static QuicFrame Decode(string hex)
    {
        var bytes = Hex.Parse(hex);
        int offset = 0;
        return QuicFrameDecoder.Decode(bytes, ref offset);
    }
}
