using Hxi.Cli.Repl.Parsing;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Tests.Repl;

public sealed class ReplParserTests
{
    private static ReplInstruction Parse(params string[] lines) => ReplParser.Parse(lines);

    private static string Error(params string[] lines) => Assert.Throws<ReplInputException>(() => ReplParser.Parse(lines)).Message;

    [Fact]
    public void TypedRequest_KeepsTheBytesAsTyped_WithCrlf()
    {
        var typed = Assert.IsType<TypedRequest>(Parse("POST /echo HTTP/1.1", "Host: x", "Content-Length: 5", "", "hello"));

        Assert.Equal(("POST", "/echo", "HTTP/1.1"), (typed.Method, typed.Target, typed.Version));
        Assert.Equal([new HeaderField("Host", "x"), new HeaderField("Content-Length", "5")], typed.Headers);
        Assert.Equal("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", System.Text.Encoding.UTF8.GetString(typed.RawText));
    }

    [Fact]
    public void ShortForms_TakeTargets_Headers_BodyAndParallel()
    {
        var get = Assert.IsType<ShortRequest>(Parse("get /a /b /c -H 'X-A: 1' --parallel 2 &"));
        var post = Assert.IsType<ShortRequest>(Parse("post /echo 'hi there'"));

        Assert.Equal(["/a", "/b", "/c"], get.Targets);
        Assert.Equal([new HeaderField("X-A", "1")], get.Headers);
        Assert.Equal((2, true), (get.Parallel, get.Background));
        Assert.Equal("hi there"u8.ToArray(), post.Body);
        Assert.Equal("HEAD", Assert.IsType<ShortRequest>(Parse("head /")).Method);
    }

    [Fact]
    public void FrameCommands_AcceptNamesOrNumbers()
    {
        Assert.Equal(new RstCommand(3, 8), Parse("rst 3 CANCEL"));
        Assert.Equal(new RstCommand(3, 1), Parse("rst 3 0x1"));
        Assert.Equal(new WindowUpdateCommand(0, 1000), Parse("window-update 0 1000"));
        Assert.Equal(new GoAwayCommand(0, 0, "bye now"), Parse("goaway 0 NO_ERROR bye now"));
        Assert.Equal(new SettingsAckCommand(), Parse("settings ack"));
        var settings = Assert.IsType<SettingsCommand>(Parse("settings MAX_CONCURRENT_STREAMS=5 SETTINGS_INITIAL_WINDOW_SIZE=0x10 9=1"));
        Assert.Equal([new(Http2SettingId.MaxConcurrentStreams, 5), new(Http2SettingId.InitialWindowSize, 16), new((Http2SettingId)9, 1)], settings.Settings);
        Assert.Equal(0x70696e6700000000UL, Assert.IsType<PingCommand>(Parse("ping ping")).OpaqueData);
        Assert.Equal(0x0102030405060708UL, Assert.IsType<PingCommand>(Parse("ping 0102030405060708")).OpaqueData);
        Assert.Null(Assert.IsType<PingCommand>(Parse("ping")).OpaqueData);
    }

    [Fact]
    public void Raw_TakesTypeFlagsStreamAndHex()
    {
        var raw = Assert.IsType<RawFrameCommand>(Parse("raw 0x0 0x1 99 68656c6c6f"));
        var named = Assert.IsType<RawFrameCommand>(Parse("raw headers END_STREAM|END_HEADERS 1"));

        Assert.Equal((0, 1, 99), (raw.Type, raw.Flags, raw.StreamId));
        Assert.Equal("hello"u8.ToArray(), raw.Payload);
        Assert.Equal((1, 5, 0), (named.Type, named.Flags, named.Payload.Length));
    }

    [Fact]
    public void Headers_TakesEveryOption()
    {
        var headers = Assert.IsType<HeadersCommand>(Parse("headers --stream 5 --no-end-stream --priority 3:32:e --pad 4 --split 10 POST /echo -H 'A: b'"));

        Assert.Equal(5, headers.StreamId);
        Assert.False(headers.EndStream);
        Assert.True(headers.EndHeaders);
        Assert.Equal(new Protocols.Http2.Frames.Http2PriorityFields(true, 3, 31), headers.Priority);
        Assert.Equal((4, 10), (headers.PadLength, headers.SplitSize));
        Assert.Equal(("POST", "/echo"), (headers.Method, headers.Target));
    }

    [Fact]
    public void Headers_WithoutRequestLine_ReadsTheFollowingLines()
    {
        Assert.True(ReplParser.StartsMultiLineEntry("headers --no-end-headers"));
        var headers = Assert.IsType<HeadersCommand>(Parse("headers --no-end-headers", "GET /json", "Accept: */*", ""));

        Assert.False(headers.EndHeaders);
        Assert.Equal([new HeaderField("Accept", "*/*")], headers.Headers);
    }

    [Fact]
    public void DataContinuationPriority_Parse()
    {
        Assert.Equal("hi you"u8.ToArray(), Assert.IsType<DataCommand>(Parse("data 1 --end hi you")).Data);
        Assert.Equal([0xab], Assert.IsType<DataCommand>(Parse("data 1 hex:ab")).Data);
        Assert.True(Assert.IsType<ContinuationCommand>(Parse("continuation 1 --end-headers -H 'a: b'")).EndHeaders);
        Assert.Equal(new PriorityCommand(3, new(false, 1, 255)), Parse("priority 3 1 256"));
    }

    [Fact]
    public void SessionCommands_Parse()
    {
        Assert.Equal(new WaitFrameCommand(4, ReplParser.DefaultWaitTimeout), Parse("wait frame SETTINGS"));
        Assert.Equal(new WaitStreamEndCommand(3, TimeSpan.FromSeconds(2)), Parse("wait stream 3 end 2s"));
        Assert.Equal(new WaitDelayCommand(TimeSpan.FromMilliseconds(200)), Parse("wait 200ms"));
        Assert.Equal(new SetCommand("hex", true), Parse("set hex on"));
        Assert.Equal(new HelpCommand("raw"), Parse("help raw"));
        Assert.IsType<NoCommand>(Parse("# a comment"));
        Assert.IsType<QuitCommand>(Parse("exit"));
        Assert.IsType<GuidedRequest>(Parse("guided"));
    }

    [Theory]
    [InlineData("frobnicate", "unknown command 'frobnicate'")]
    [InlineData("rst 3 NOT_A_CODE", "unknown error code 'NOT_A_CODE'")]
    [InlineData("raw 0x0 0x1 99 zz", "'zz' is not hex")]
    [InlineData("raw BOGUS 0 1", "unknown frame type 'BOGUS'")]
    [InlineData("settings FOO=1", "unknown setting 'FOO'")]
    [InlineData("settings MAX_FRAME_SIZE", "is not NAME=value")]
    [InlineData("get", "usage: get /path")]
    [InlineData("get json", "'json' is not a path")]
    [InlineData("ping 123456789", "PING carries exactly 8 bytes")]
    [InlineData("headers --bogus GET /", "unknown option --bogus")]
    [InlineData("set colour on", "usage: set frames|hex|hpack|quic|qpack on|off")]
    [InlineData("wait forever", "'forever' is not a duration")]
    [InlineData("get '/a", "unterminated ' quote")]
    public void BadInput_GivesOneClearLine(string line, string expected)
    {
        var message = Error(line);

        Assert.Contains(expected, message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void BadHeaderLine_InTypedRequest_IsNamed()
    {
        Assert.Contains("bad header line 'no colon here'", Error("GET / HTTP/1.1", "no colon here", ""));
    }
}
