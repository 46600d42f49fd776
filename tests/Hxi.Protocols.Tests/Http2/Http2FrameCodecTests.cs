using System.Buffers;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;

namespace Hxi.Protocols.Tests.Http2;

public class Http2FrameCodecTests
{
    public static TheoryData<Http2Frame> Frames() =>
    [
        new DataFrame(1, "abc"u8.ToArray(), EndStream: true),
        new DataFrame(3, "abc"u8.ToArray(), EndStream: false, PadLength: 4),
        new HeadersFrame(1, new byte[] { 0x82, 0x86 }, EndStream: true, EndHeaders: true),
        new HeadersFrame(5, new byte[] { 0x82 }, EndStream: false, EndHeaders: false, new Http2PriorityFields(true, 3, 15), PadLength: 2),
        new PriorityFrame(7, new Http2PriorityFields(false, 1, 255)),
        new RstStreamFrame(1, (uint)Http2ErrorCode.Cancel),
        new SettingsFrame(false, [new(Http2SettingId.MaxFrameSize, 16_384), new((Http2SettingId)0x9a9a, 7)]),
        SettingsFrame.Acknowledgement,
        new PushPromiseFrame(1, 2, new byte[] { 0x82 }, EndHeaders: true, PadLength: 1),
        new PingFrame(true, 0xdeadbeef),
        new GoAwayFrame(5, (uint)Http2ErrorCode.ProtocolError, "why"u8.ToArray()),
        new WindowUpdateFrame(0, 1_000_000),
        new ContinuationFrame(1, new byte[] { 1, 2, 3 }, EndHeaders: true),
        new UnknownFrame(0xfa, 0xff, 9, "x"u8.ToArray()),
    ];

    [Theory]
    [MemberData(nameof(Frames))]
    public void EveryFrame_RoundTrips(Http2Frame frame)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Http2FrameWriter.Write(frame, buffer);
        Assert.True(Http2FrameHeader.TryRead(buffer.WrittenSpan, out var header));
        Assert.Equal(buffer.WrittenCount - Http2FrameHeader.Size, header.Length);
        var decoded = Http2FrameDecoder.Decode(header, buffer.WrittenSpan[Http2FrameHeader.Size..]);
        var again = new ArrayBufferWriter<byte>();
        Http2FrameWriter.Write(decoded, again);
        Assert.Equal(buffer.WrittenSpan.ToArray(), again.WrittenSpan.ToArray());
        Assert.Equal(frame.GetType(), decoded.GetType());
    }

    [Fact]
    public void Rfc9113_6_1_PaddingAsLongAsThePayload_IsAProtocolError()
    {
        var header = new Http2FrameHeader(3, 0, (byte)Http2FrameFlags.Padded, 1);
        var error = Assert.Throws<Http2ConnectionException>(() => Http2FrameDecoder.Decode(header, new byte[] { 3, 0, 0 }));
        Assert.Equal(Http2ErrorCode.ProtocolError, error.Code);
    }

    [Theory]
    [InlineData(0x6, 7, 0, Http2ErrorCode.FrameSizeError)]   // PING not 8 bytes
    [InlineData(0x6, 8, 1, Http2ErrorCode.ProtocolError)]    // PING on a stream
    [InlineData(0x4, 5, 0, Http2ErrorCode.FrameSizeError)]   // SETTINGS not a multiple of 6
    [InlineData(0x3, 3, 1, Http2ErrorCode.FrameSizeError)]   // RST_STREAM not 4 bytes
    [InlineData(0x0, 1, 0, Http2ErrorCode.ProtocolError)]    // DATA on stream 0
    [InlineData(0x7, 4, 0, Http2ErrorCode.FrameSizeError)]   // GOAWAY too short
    [InlineData(0x8, 4, 0, Http2ErrorCode.ProtocolError)]    // WINDOW_UPDATE of 0
    public void MalformedFrames_AreConnectionErrors(byte type, int length, int streamId, Http2ErrorCode expected)
    {
        var error = Assert.Throws<Http2ConnectionException>(() =>
            Http2FrameDecoder.Decode(new Http2FrameHeader(length, type, 0, streamId), new byte[length]));
        Assert.Equal(expected, error.Code);
    }

    [Fact]
    public void PriorityOfWrongLength_IsAStreamError()
    {
        var error = Assert.Throws<Http2StreamException>(() => Http2FrameDecoder.Decode(new Http2FrameHeader(4, 2, 0, 3), new byte[4]));
        Assert.Equal(Http2ErrorCode.FrameSizeError, error.Code);
        Assert.Equal(3, error.StreamId);
    }

    [Fact]
    public void ReservedBit_IsIgnoredOnReceive()
    {
        Assert.True(Http2FrameHeader.TryRead(new byte[] { 0, 0, 0, 4, 0, 0x80, 0, 0, 0 }, out var header));
        Assert.Equal(0, header.StreamId);
    }
}
