using Hxi.Cli.Wire;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;

namespace Hxi.Cli.Tests;

public sealed class Http2FrameFormatterTests
{
    [Fact]
    public void Title_LooksLikeNghttp()
    {
        var settings = new SettingsFrame(false, [new Http2Setting(Http2SettingId.MaxConcurrentStreams, 100)]);

        Assert.Equal("SETTINGS frame <length=6, flags=0x00, stream_id=0>", Http2FrameFormatter.Title(settings, 6));
    }

    [Fact]
    public void Settings_AreNamedWithTheirIds()
    {
        var settings = new SettingsFrame(false,
        [
            new Http2Setting(Http2SettingId.HeaderTableSize, 4096),
            new Http2Setting(Http2SettingId.EnablePush, 0),
            new Http2Setting(Http2SettingId.MaxConcurrentStreams, 100),
            new Http2Setting(Http2SettingId.InitialWindowSize, 65535),
            new Http2Setting(Http2SettingId.MaxFrameSize, 16384),
            new Http2Setting(Http2SettingId.MaxHeaderListSize, 8192),
            new Http2Setting(Http2SettingId.EnableConnectProtocol, 1),
        ]);

        Assert.Equal(
        [
            "(niv=7)",
            "[SETTINGS_HEADER_TABLE_SIZE(0x01):4096]",
            "[SETTINGS_ENABLE_PUSH(0x02):0]",
            "[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):100]",
            "[SETTINGS_INITIAL_WINDOW_SIZE(0x04):65535]",
            "[SETTINGS_MAX_FRAME_SIZE(0x05):16384]",
            "[SETTINGS_MAX_HEADER_LIST_SIZE(0x06):8192]",
            "[SETTINGS_ENABLE_CONNECT_PROTOCOL(0x08):1]",
        ], Http2FrameFormatter.Details(settings));
    }

    [Fact]
    public void SettingsAck_IsFlaggedAck()
    {
        Assert.Equal(["; ACK", "(niv=0)"], Http2FrameFormatter.Details(SettingsFrame.Acknowledgement));
    }

    [Fact]
    public void Headers_FlagsAreNamedInNghttpOrder()
    {
        var headers = new HeadersFrame(1, new byte[10], EndStream: true, EndHeaders: true, new Http2PriorityFields(false, 3, 15), PadLength: 4);

        Assert.Equal("END_STREAM | END_HEADERS | PADDED | PRIORITY", Http2FrameFormatter.FlagNames(headers));
        Assert.Equal(
        [
            "; END_STREAM | END_HEADERS | PADDED | PRIORITY",
            "(padlen=4)",
            "(dep_stream_id=3, weight=16, exclusive=0)",
            "(field block fragment: 10 bytes)",
        ], Http2FrameFormatter.Details(headers));
    }

    [Fact]
    public void Data_EndStream_ButNoHeaderFlags()
    {
        var data = new DataFrame(3, new byte[5], EndStream: true);

        Assert.Equal("END_STREAM", Http2FrameFormatter.FlagNames(data));
        Assert.Equal(["; END_STREAM", "(5 bytes of data)"], Http2FrameFormatter.Details(data));
    }

    [Fact]
    public void Continuation_HasOnlyEndHeaders()
    {
        Assert.Equal("END_HEADERS", Http2FrameFormatter.FlagNames(new ContinuationFrame(1, new byte[3], EndHeaders: true)));
        Assert.Equal("", Http2FrameFormatter.FlagNames(new ContinuationFrame(1, new byte[3], EndHeaders: false)));
    }

    [Fact]
    public void PingAck_AndItsOpaqueData()
    {
        var ping = new PingFrame(true, 0x0102030405060708);

        Assert.Equal(["; ACK", "(opaque_data=0102030405060708)"], Http2FrameFormatter.Details(ping));
    }

    [Theory]
    [InlineData(Http2ErrorCode.NoError, "NO_ERROR(0x00)")]
    [InlineData(Http2ErrorCode.ProtocolError, "PROTOCOL_ERROR(0x01)")]
    [InlineData(Http2ErrorCode.FlowControlError, "FLOW_CONTROL_ERROR(0x03)")]
    [InlineData(Http2ErrorCode.CompressionError, "COMPRESSION_ERROR(0x09)")]
    [InlineData(Http2ErrorCode.EnhanceYourCalm, "ENHANCE_YOUR_CALM(0x0b)")]
    [InlineData(Http2ErrorCode.Http11Required, "HTTP_1_1_REQUIRED(0x0d)")]
    public void GoAway_NamesTheErrorCode(Http2ErrorCode code, string name)
    {
        var goAway = new GoAwayFrame(7, (uint)code, "bye\n"u8.ToArray());

        Assert.Equal([$"(last_stream_id=7, error_code={name}, opaque_data(4)=[bye\\x0a])"], Http2FrameFormatter.Details(goAway));
    }

    [Fact]
    public void GoAway_UnknownCode_IsShownAsANumber()
    {
        var goAway = new GoAwayFrame(0, 0xff, ReadOnlyMemory<byte>.Empty);

        Assert.Equal(["(last_stream_id=0, error_code=UNKNOWN_ERROR(0xff)(0xff), opaque_data(0)=[])"], Http2FrameFormatter.Details(goAway));
    }

    [Fact]
    public void RstStream_AndWindowUpdate()
    {
        Assert.Equal(["(error_code=CANCEL(0x08))"], Http2FrameFormatter.Details(new RstStreamFrame(5, (uint)Http2ErrorCode.Cancel)));
        Assert.Equal(["(window_size_increment=1048576)"], Http2FrameFormatter.Details(new WindowUpdateFrame(0, 1 << 20)));
    }

    [Fact]
    public void UnknownFrame_IsShownRaw_WithItsTypeCode()
    {
        var unknown = new UnknownFrame(0xfa, 0x03, 1, new byte[] { 0xde, 0xad });

        Assert.StartsWith("UNKNOWN", Http2FrameFormatter.Title(unknown, 2));
        Assert.Equal("", Http2FrameFormatter.FlagNames(unknown));
        Assert.Equal(["(unknown frame type 0xfa, ignored; payload 2 bytes: dead)"], Http2FrameFormatter.Details(unknown));
    }

    [Fact]
    public void UnknownSetting_ShowsItsNumberOnce()
    {
        var settings = new SettingsFrame(false, [new Http2Setting((Http2SettingId)0x99, 1)]);

        Assert.Contains("[UNKNOWN_SETTING(0x99):1]", Http2FrameFormatter.Details(settings));
    }
}
