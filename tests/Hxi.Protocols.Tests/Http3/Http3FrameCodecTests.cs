using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Http3;

/// <summary>RFC 9114 Section 7: every frame round-trips whole, one byte at a time, and fails cleanly when cut short.</summary>
public class Http3FrameCodecTests
{
    public static TheoryData<string, Http3Frame> Frames => new()
    {
        { "DATA", new DataFrame(new byte[] { 1, 2, 3 }) },
        { "HEADERS", new HeadersFrame(Hex.Parse("0000 d1")) },
        { "CANCEL_PUSH", new CancelPushFrame(7) },
        { "SETTINGS", new SettingsFrame([new(Http3SettingId.QpackMaxTableCapacity, 4096), new(Http3SettingId.QpackBlockedStreams, 100), new(0x21, 5)]) },
        { "empty SETTINGS", new SettingsFrame([]) },
        { "PUSH_PROMISE", new PushPromiseFrame(300, Hex.Parse("0000 d1")) },
        { "GOAWAY", new GoAwayFrame(1L << 40) },
        { "MAX_PUSH_ID", new MaxPushIdFrame(16383) },
        { "PRIORITY_UPDATE", new PriorityUpdateFrame(false, 4, "u=1, i") },
        { "PRIORITY_UPDATE push", new PriorityUpdateFrame(true, 2, "u=7") },
        { "GREASE", new UnknownFrame(0x21 + 0x1f * 3, new byte[] { 9, 9 }) },
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void Rfc9114_7_FrameRoundTripsWholeAndByteByByte(string name, Http3Frame frame)
    {
        byte[] wire = Http3FrameWriter.ToArray(frame);
        Assert.True(Read(wire, byteByByte: false).SequenceEqual([frame]), name);
        Assert.True(Read(wire, byteByByte: true).SequenceEqual([frame]), name);
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Rfc9114_7_1_EveryTruncationLeavesTheReaderMidFrame(string name, Http3Frame frame)
    {
        byte[] wire = Http3FrameWriter.ToArray(frame);
        for (int cut = 1; cut < wire.Length; cut++)
        {
            var reader = new Http3FrameReader();
            ReadOnlySpan<byte> input = wire.AsSpan(0, cut);
            while (reader.Read(ref input, out var parsed, out _) != Http3ReadStatus.NeedMoreData)
            {
                Assert.True(frame is DataFrame, $"{name}: only DATA may produce output before it is complete (cut {cut})");
            }

            Assert.False(reader.IsAtFrameBoundary, $"{name} cut at {cut}");
        }
    }

    [Fact]
    public void Rfc9114_7_2_1_DataIsStreamedInPiecesNotBuffered()
    {
        var reader = new Http3FrameReader(maxFramePayload: 16);
        byte[] payload = new byte[1000];
        byte[] wire = Http3FrameWriter.ToArray(new DataFrame(payload));
        ReadOnlySpan<byte> input = wire.AsSpan(0, 600);

        Assert.Equal(Http3ReadStatus.DataHeader, reader.Read(ref input, out _, out _));
        Assert.Equal(1000, reader.DataLength);
        Assert.Equal(Http3ReadStatus.DataChunk, reader.Read(ref input, out _, out var chunk));
        Assert.Equal(597, chunk.Length);
        Assert.Equal(Http3ReadStatus.NeedMoreData, reader.Read(ref input, out _, out _));
    }

    [Theory]
    [InlineData("0302 0700", Http3ErrorCode.FrameError)]         // CANCEL_PUSH with a byte after the push id
    [InlineData("0700", Http3ErrorCode.FrameError)]              // GOAWAY with no id
    [InlineData("0d03 4000 00", Http3ErrorCode.FrameError)]      // MAX_PUSH_ID with a byte after the push id
    [InlineData("0401 01", Http3ErrorCode.FrameError)]           // SETTINGS with an id and no value
    [InlineData("0404 0101 0102", Http3ErrorCode.SettingsError)] // SETTINGS repeating an identifier
    [InlineData("0402 0201", Http3ErrorCode.SettingsError)]      // SETTINGS with HTTP/2's ENABLE_PUSH
    [InlineData("0500", Http3ErrorCode.FrameError)]              // PUSH_PROMISE with no push id
    [InlineData("0144 01", Http3ErrorCode.ExcessiveLoad)]        // HEADERS announcing more than the limit
    public void Rfc9114_7_MalformedPayloadsAreConnectionErrors(string hex, Http3ErrorCode code)
    {
        byte[] wire = Hex.Parse(hex);
        var reader = new Http3FrameReader(maxFramePayload: 16);
        var e = Record.Exception(() =>
        {
            ReadOnlySpan<byte> input = wire;
            while (reader.Read(ref input, out _, out _) != Http3ReadStatus.NeedMoreData)
            {
            }
        });

        var error = Assert.IsType<Http3ConnectionException>(e);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Rfc9114_7_2_8_LargeUnknownFrameIsSkippedNotBuffered()
    {
        var reader = new Http3FrameReader(maxFramePayload: 16);
        byte[] wire = Http3FrameWriter.ToArray(new UnknownFrame(0x21, new byte[100]));
        Assert.Equal([new UnknownFrame(0x21, ReadOnlyMemory<byte>.Empty)], Read(wire, false, reader));
    }

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(63UL, "3f")]
    [InlineData(64UL, "4040")]
    [InlineData(16383UL, "7fff")]
    [InlineData(16384UL, "80004000")]
    [InlineData(1073741823UL, "bfffffff")]
    [InlineData(1073741824UL, "c000000040000000")]
    [InlineData((1UL << 62) - 1, "ffffffffffffffff")]
    public void Rfc9000_16_VarintRoundTrips(ulong value, string hex)
    {
        byte[] buffer = new byte[8];
        Assert.True(QuicVarint.TryWrite(buffer, value, out int written));
        Assert.Equal(hex, Hex.Format(buffer.AsSpan(0, written)));
        Assert.True(QuicVarint.TryRead(Hex.Parse(hex), out ulong read, out int consumed));
        Assert.Equal((value, written), (read, consumed));
        Assert.False(QuicVarint.TryRead(Hex.Parse(hex)[..^1], out _, out _));
    }

    [Fact]
    public void Rfc9000_16_VarintRejectsTwoToTheSixtySecond() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => QuicVarint.GetByteCount(1UL << 62));

    [Fact]
    public void Rfc9000_16_9_4_VarintSpecExample()
    {
        Assert.True(QuicVarint.TryRead(Hex.Parse("c2197c5eff14e88c"), out ulong value, out _));
        Assert.Equal(151288809941952652UL, value);
        Assert.True(QuicVarint.TryRead(Hex.Parse("9d7f3e7d"), out value, out _));
        Assert.Equal(494878333UL, value);
        Assert.True(QuicVarint.TryRead(Hex.Parse("7bbd"), out value, out _));
        Assert.Equal(15293UL, value);
    }

    private static List<Http3Frame> Read(byte[] wire, bool byteByByte, Http3FrameReader? reader = null)
    {
        reader ??= new Http3FrameReader();
        var frames = new List<Http3Frame>();
        var data = new List<byte>();
        bool inData = false;
        int step = byteByByte ? 1 : wire.Length;
        for (int offset = 0; offset < wire.Length; offset += step)
        {
            ReadOnlySpan<byte> input = wire.AsSpan(offset, Math.Min(step, wire.Length - offset));
            while (true)
            {
                var status = reader.Read(ref input, out var frame, out var chunk);
                if (status == Http3ReadStatus.NeedMoreData)
                {
                    break;
                }

                switch (status)
                {
                    case Http3ReadStatus.Frame:
                        frames.Add(frame!);
                        break;
                    case Http3ReadStatus.DataHeader:
                        inData = true;
                        data.Clear();
                        if (reader.DataLength == 0)
                        {
                            frames.Add(new DataFrame(Array.Empty<byte>()));
                        }

                        break;
                    default:
                        data.AddRange(chunk.ToArray());
                        if (inData && data.Count == reader.DataLength)
                        {
                            frames.Add(new DataFrame(data.ToArray()));
                        }

                        break;
                }
            }
        }

        Assert.True(reader.IsAtFrameBoundary);
        return frames;
    }
}
