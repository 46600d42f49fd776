using Hxi.Cli.Repl.Parsing;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Tests.Repl;

/// <summary>The HTTP/3 dialect: h3i's commands, names or numbers for types, settings and error codes.</summary>
public sealed class Http3ReplParserTests
{
    private static ReplInstruction Parse(params string[] lines) => ReplParser.Parse(lines, ReplDialect.Http3);

    private static string Error(params string[] lines) => Assert.Throws<ReplInputException>(() => Parse(lines)).Message;

    [Fact]
    public void RawFrame_GoesOnTheControlStreamUnlessToldOtherwise()
    {
        var control = Assert.IsType<Http3RawFrameCommand>(Parse("raw-frame 0x0 68656c6c6f"));
        Assert.Equal((Http3FrameType.Data, (long?)null, false), (control.Type, control.StreamId, control.Fin));
        Assert.Equal("hello"u8.ToArray(), control.Payload);
        var onStream = Assert.IsType<Http3RawFrameCommand>(Parse("raw-frame SETTINGS --stream 14 --fin"));
        Assert.Equal((Http3FrameType.Settings, 14L, true, 0), (onStream.Type, onStream.StreamId, onStream.Fin, onStream.Payload.Length));
        Assert.Equal(0xf0700, Assert.IsType<Http3RawFrameCommand>(Parse("raw-frame priority-update 00")).Type);
        Assert.True(Http3Reserved.IsReserved((ulong)Assert.IsType<Http3RawFrameCommand>(Parse("raw-frame GREASE")).Type));
    }

    [Fact]
    public void Settings_TakeHttp3NamesOrNumbers()
    {
        var settings = Assert.IsType<Http3SettingsCommand>(Parse("settings QPACK_MAX_TABLE_CAPACITY=0 SETTINGS_MAX_FIELD_SECTION_SIZE=0x100 0x21=7"));

        Assert.Equal([new Http3Setting(1, 0), new Http3Setting(6, 256), new Http3Setting(0x21, 7)], settings.Settings);
        Assert.Contains("unknown setting 'MAX_CONCURRENT_STREAMS'", Error("settings MAX_CONCURRENT_STREAMS=5"));
    }

    [Fact]
    public void StreamCommands_TakeH3ErrorCodeNames()
    {
        Assert.Equal(new ResetStreamCommand(0, 0x10c), Parse("reset-stream 0 H3_REQUEST_CANCELLED"));
        Assert.Equal(new StopSendingCommand(4, 0x105), Parse("stop-sending 4 FRAME_UNEXPECTED"));
        Assert.Equal(new ConnectionCloseCommand(0x100, "bye now", false), Parse("connection-close H3_NO_ERROR bye now"));
        Assert.Equal(new ConnectionCloseCommand(0xa, "", true), Parse("connection-close PROTOCOL_VIOLATION --transport"));
        Assert.Contains("unknown HTTP/3 error code 'CANCEL'", Error("reset-stream 0 CANCEL"));
    }

    [Fact]
    public void StreamsAndControlFrames_ParseTheirIds()
    {
        Assert.Equal(new OpenUniCommand(Http3StreamType.Control), Parse("open-uni control"));
        Assert.Equal(new OpenUniCommand(0x40), Parse("open-uni grease"));
        Assert.Equal(new OpenUniCommand(0x54), Parse("open-uni 0x54"));
        var bytes = Assert.IsType<StreamBytesCommand>(Parse("stream-bytes 14 0001 --fin"));
        Assert.Equal((14L, true), (bytes.StreamId, bytes.Fin));
        Assert.Equal(new Http3GoAwayCommand(0), Parse("goaway 0"));
        Assert.Equal(new MaxPushIdCommand(10), Parse("max-push-id 10"));
        Assert.Equal(new CancelPushCommand(3), Parse("cancel-push 3"));
        Assert.Equal(new PriorityUpdateCommand(0, "u=1, i", false), Parse("priority-update 0 'u=1, i'"));
        Assert.Equal(new PingCommand(null), Parse("ping"));
    }

    [Fact]
    public void Headers_TakeNoPseudoAndLiteral_AndReadFollowingLines()
    {
        var headers = Assert.IsType<Http3HeadersCommand>(Parse("headers --no-pseudo --literal --no-end-stream --stream 8 GET /json -H 'A: b'"));
        Assert.Equal((8L, false, true, true), (headers.StreamId, headers.EndStream, headers.NoPseudo, headers.Literal));
        Assert.Equal([new HeaderField("A", "b")], headers.Headers);

        Assert.True(ReplParser.StartsMultiLineEntry("headers --literal"));
        var typed = Assert.IsType<Http3HeadersCommand>(Parse("headers --literal", "POST /echo", "X-A: 1", ""));
        Assert.Equal(("POST", "/echo"), (typed.Method, typed.Target));
    }

    [Fact]
    public void Waits_ReadHttp3FrameTypes_AndClose()
    {
        Assert.Equal(new Http3WaitFrameCommand(Http3FrameType.GoAway, TimeSpan.FromSeconds(2)), Parse("wait frame GOAWAY 2s"));
        Assert.Equal(new WaitCloseCommand(TimeSpan.FromSeconds(3)), Parse("wait close 3s"));
        Assert.Equal(new SetCommand("quic", true), Parse("set quic on"));
        Assert.Equal(new SetCommand("qpack", false), Parse("set qpack off"));
    }

    [Fact]
    public void BadInput_GetsOneClearLine()
    {
        Assert.Contains("usage: open-uni TYPE", Error("open-uni"));
        Assert.Contains("unknown stream type 'bogus'", Error("open-uni bogus"));
        Assert.Contains("is not hex", Error("raw-frame DATA zz"));
        Assert.Contains("give some hex bytes, or --fin", Error("stream-bytes 2"));
        Assert.Contains("from 0 to 2^62-1", Error("goaway 99999999999999999999"));
        Assert.Contains("QUIC PING carries no data", Error("ping 0102030405060708"));
    }

    [Fact]
    public void Http2Dialect_KeepsItsOwnMeanings_AndStillParsesTheHttp3OnlyCommands()
    {
        Assert.IsType<SettingsCommand>(ReplParser.Parse(["settings MAX_CONCURRENT_STREAMS=5"]));
        Assert.IsType<GoAwayCommand>(ReplParser.Parse(["goaway 0 NO_ERROR"]));
        Assert.IsType<OpenUniCommand>(ReplParser.Parse(["open-uni control"]));
    }

    [Fact]
    public void Help_ListsTheHttp3Commands_InTheHttp3Dialect()
    {
        var names = ReplHelp.For(ReplDialect.Http3).Select(e => e.Name).ToList();

        Assert.Contains("raw-frame", names);
        Assert.Contains("connection-close", names);
        Assert.DoesNotContain("window-update", names);
        Assert.Equal("goaway ID", ReplHelp.Find("goaway", ReplDialect.Http3)!.Synopsis);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("open-uni", ReplHelp.Names);
    }

    [Fact]
    public void Completion_OffersHttp3TypesAndCodes()
    {
        Assert.Contains("H3_REQUEST_CANCELLED", Hxi.Cli.Repl.Terminal.ReplCompleter.Complete("reset-stream 0 H3_REQ").Candidates);
        Assert.Contains("grease", Hxi.Cli.Repl.Terminal.ReplCompleter.Complete("open-uni g").Candidates);
        Assert.Contains("raw-frame", Hxi.Cli.Repl.Terminal.ReplCompleter.Complete("raw-").Candidates);
    }
}
