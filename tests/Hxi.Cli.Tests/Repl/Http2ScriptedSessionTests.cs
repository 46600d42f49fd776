using Hxi.Net.Client;

namespace Hxi.Cli.Tests.Repl;

/// <summary>Scripted HTTP/2 sessions against the embedded server: every command, read back from the transcript.</summary>
[Collection(EmbeddedServerCollection.Name)]
public sealed class Http2ScriptedSessionTests(EmbeddedServerFixture fixture)
{
    [Fact]
    public async Task PingAndSettings_AreSent_AndTheirAcksShown()
    {
        var (exit, output) = await fixture.RunAsync("""
            ping
            wait frame PING
            settings MAX_CONCURRENT_STREAMS=5
            wait frame SETTINGS
            settings ack
            quit
            """);

        Assert.Equal(0, exit);
        Assert.Contains("send PING frame <length=8, flags=0x00, stream_id=0>", output);
        Assert.Contains("recv PING frame <length=8, flags=0x01, stream_id=0>", output);
        Assert.Contains("(opaque_data=70696e6730303031)", output);
        Assert.Contains("; PING answered in", output);
        Assert.Contains("[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):5]", output);
        Assert.Contains("session statistics", output);
    }

    [Fact]
    public async Task TypedRequest_IsMappedToHeaders_AndTheMappingShown()
    {
        var (exit, output) = await fixture.RunAsync("""
            GET /json HTTP/1.1
            Host: localhost
            Accept: application/json
            Connection: keep-alive

            quit
            """);

        Assert.Equal(0, exit);
        Assert.Contains("; GET /json HTTP/1.1 mapped to HTTP/2 HEADERS:", output);
        Assert.Contains(":method: GET", output);
        Assert.Contains(":authority: localhost", output);
        Assert.Contains("accept: application/json", output);
        Assert.Contains("dropped connection-specific header(s): Host, Connection", output);
        Assert.Contains("\"proto\": \"HTTP/2\"", output);
        Assert.Contains("; stream 1: 200", output);
    }

    [Fact]
    public async Task ConcurrentGets_UseSeparateStreams_AndPrintASummaryTable()
    {
        var (exit, output) = await fixture.RunAsync("get /json /status/201 /status/404\nquit\n");

        Assert.Equal(0, exit);
        Assert.Matches(@"/json\s+1\s+200", output);
        Assert.Matches(@"/status/201\s+3\s+201", output);
        Assert.Matches(@"/status/404\s+5\s+404", output);
        Assert.Contains("stream status     bytes", output);
    }

    [Fact]
    public async Task ShortForms_PostHeadAndParallel()
    {
        var (exit, output) = await fixture.RunAsync("""
            post /echo 'hello repl' -H 'Content-Type: text/plain'
            head /json
            get /json --parallel 3
            quit
            """, frames: false);

        Assert.Equal(0, exit);
        Assert.Contains("hello repl", output);
        Assert.Contains("HTTP/2 200", output);
        Assert.Contains("content-type: text/plain", output);
        Assert.Equal(3, output.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+\s+/json\s+\d+\s+200")));
    }

    [Fact]
    public async Task Guided_AsksAndDescribesTheAnswer()
    {
        var (exit, output) = await fixture.RunAsync("""
            guided
            /json
            GET
            X-Guided: yes

            y
            quit
            """, frames: false);

        Assert.Equal(0, exit);
        Assert.Contains("URL or path [/]: /json", output);
        Assert.Contains("  status          200", output);
        Assert.Contains("  version         HTTP/2", output);
        Assert.Contains("  request number  1", output);
        Assert.Contains("  stream          1", output);
        Assert.Contains("Show the text body? [y/N]: y", output);
        Assert.Contains("\"message\": \"hello\"", output);
    }

    [Fact]
    public async Task Headers_WithOptions_SplitsIntoContinuation_AndShowsTheAnswer()
    {
        var (exit, output) = await fixture.RunAsync("""
            headers --stream 3 --priority 0:32 --pad 4 --split 10 GET /json -H 'X-Split: aaaaaaaaaaaaaaaaaaaa'
            wait stream 3 end
            quit
            """);

        Assert.Equal(0, exit);
        Assert.Contains("send HEADERS frame <length=20, flags=0x29, stream_id=3>", output);
        Assert.Contains("(padlen=4)", output);
        Assert.Contains("(dep_stream_id=0, weight=32, exclusive=0)", output);
        Assert.Contains("send CONTINUATION frame", output);
        Assert.Contains("; stream 3 ended: 200", output);
    }

    [Fact]
    public async Task HeadersWithoutEndHeaders_ThenContinuation_CompletesTheBlock()
    {
        var (exit, output) = await fixture.RunAsync("""
            headers --no-end-headers --no-end-stream POST /echo
            continuation 1 --end-headers -H 'content-type: text/plain'
            data 1 --end hello data
            wait stream 1 end
            quit
            """);

        Assert.Equal(0, exit);
        Assert.Contains("send HEADERS frame", output);
        Assert.Contains("send CONTINUATION frame", output);
        Assert.Contains("content-type: text/plain", output);
        Assert.Contains("send DATA frame <length=10, flags=0x01, stream_id=1>", output);
        Assert.Contains("hello data", output);
        Assert.Contains("; stream 1 ended: 200", output);
    }

    [Fact]
    public async Task RstWindowUpdatePriority_AreSentAsWritten()
    {
        var (exit, output) = await fixture.RunAsync("""
            headers --no-end-stream POST /echo
            window-update 0 1000
            window-update 1 1000
            priority 1 0 200 --exclusive
            rst 1 CANCEL
            wait 100ms
            get /json
            quit
            """);

        Assert.Equal(0, exit);
        Assert.Contains("(window_size_increment=1000)", output);
        Assert.Contains("send PRIORITY frame <length=5, flags=0x00, stream_id=1>", output);
        Assert.Contains("(dep_stream_id=0, weight=200, exclusive=1)", output);
        Assert.Contains("send RST_STREAM frame <length=4, flags=0x00, stream_id=1>", output);
        Assert.Contains("(error_code=CANCEL(0x08))", output);
        Assert.Contains("; stream 3: 200", output);
    }

    [Fact]
    public async Task RawIllegalFrame_IsAnsweredByGoAway_ThatIsExplained_AndTheNextRequestReconnects()
    {
        var (exit, output) = await fixture.RunAsync("""
            raw 0x0 0x1 99 68656c6c6f
            wait frame GOAWAY
            get /json
            quit
            """);

        Assert.Equal(0, exit);
        Assert.Contains("send DATA frame <length=5, flags=0x01, stream_id=99>", output);
        Assert.Contains("error_code=PROTOCOL_ERROR(0x01)", output);
        Assert.Contains("! the server sent GOAWAY PROTOCOL_ERROR", output);
        Assert.Contains("PROTOCOL_ERROR: the peer saw something RFC 9113 forbids", output);
        Assert.Contains("the last frame hxi sent by hand was a raw DATA frame (flags 0x01) on stream 99, which was idle (never opened)", output);
        Assert.Contains("; reconnecting to", output);
        Assert.Contains("; stream 1: 200", output);
        Assert.Contains("2 opened (1 reconnects", output);
    }

    [Fact]
    public async Task UnexpectedGoAway_MakesTheScriptFail_WithTheConnectionExitStatus()
    {
        var (exit, output) = await fixture.RunAsync("raw 0x0 0x1 99 68656c6c6f\nwait 300ms\nquit\n");

        Assert.Equal((int)FailureKind.Protocol, exit);
        Assert.Contains("GOAWAY PROTOCOL_ERROR", output);
    }

    [Fact]
    public async Task OurGoAway_EndsTheConnection_AndTheNextRequestReconnects()
    {
        var (exit, output) = await fixture.RunAsync("goaway 0 NO_ERROR done here\nget /json\nquit\n");

        Assert.Equal(0, exit);
        Assert.Contains("send GOAWAY frame", output);
        Assert.Contains("opaque_data(9)=[done here]", output);
        Assert.Contains("; reconnecting to", output);
    }

    [Fact]
    public async Task BadInput_IsOneLine_TheSessionGoesOn_AndTheExitStatusIsTwo()
    {
        var (exit, output) = await fixture.RunAsync("""
            frobnicate
            rst 1 NOPE
            GET / HTTP/1.1
            no colon

            ping
            quit
            """);

        Assert.Equal(2, exit);
        Assert.Contains("error: unknown command 'frobnicate'", output);
        Assert.Contains("error: unknown error code 'NOPE'", output);
        Assert.Contains("error: bad header line 'no colon'", output);
        Assert.Contains("send PING frame", output);
    }

    [Fact]
    public async Task Waits_TimeOut_AsFailures()
    {
        var (exit, output) = await fixture.RunAsync("wait frame PUSH_PROMISE 200ms\nwait stream 7 end 100ms\nquit\n");

        // A wait that runs out is a timeout (5), as --timeout is in one-shot mode.
        Assert.Equal(5, exit);
        Assert.Contains("error: wait: no PUSH_PROMISE frame arrived within 0.2 s", output);
        Assert.Contains("error: wait: stream 7 did not end within 0.1 s", output);
    }

    [Fact]
    public async Task BackgroundRequests_PrintWhenTheyArrive_AndWaitRequestsWaits()
    {
        var (exit, output) = await fixture.RunAsync("get /delay/300 &\nping\nwait requests\nquit\n", frames: false);

        Assert.Equal(0, exit);
        var ping = output.IndexOf("PING answered", StringComparison.Ordinal);
        var answer = output.IndexOf("waited 300 ms", StringComparison.Ordinal);
        Assert.InRange(ping, 0, answer);
    }

    [Fact]
    public async Task SetHelpAndStats_Work()
    {
        var (exit, output) = await fixture.RunAsync("""
            set hex on
            set hpack on
            get /json
            set frames off
            set hex off
            set
            help
            help raw
            stats
            quit
            """);

        Assert.Equal(0, exit);
        Assert.Contains("; HPACK representations:", output);
        Assert.Matches(@"\n\s+00000000: [0-9a-f ]+", output);
        Assert.Contains("; view: frames off, hex off, hpack on", output);
        Assert.Contains("raw TYPE FLAGS STREAM [HEXPAYLOAD]", output);
        Assert.Contains("Sends any frame, legal or not", output);
        Assert.Matches(@"frames sent\s+\d+: .*HEADERS 1", output);
        Assert.Contains("durations     min", output);
    }

    [Fact]
    public async Task Record_WritesAScriptThatReplays()
    {
        var record = Path.Combine(Path.GetTempPath(), $"hxi-record-{Guid.NewGuid():N}.txt");
        try
        {
            var (exit, _) = await fixture.RunAsync("# comment\nping\nbogus\nget /json\nquit\n", record: record);
            var recorded = await File.ReadAllTextAsync(record);
            var (replayExit, replay) = await fixture.RunAsync(recorded);

            Assert.Equal(2, exit);
            Assert.StartsWith("# hxi repl session with", recorded);
            Assert.EndsWith("ping\nget /json\nquit\n", recorded);
            Assert.Equal(0, replayExit);
            Assert.Contains("; stream 1: 200", replay);
        }
        finally
        {
            File.Delete(record);
        }
    }

    [Fact]
    public async Task H2c_PriorKnowledge_Works()
    {
        var (exit, output) = await fixture.RunAsync("get /json\nquit\n", fixture.Server.H2cUri, ProtocolMode.Http2PriorKnowledge);

        Assert.Equal(0, exit);
        Assert.Contains("h2c localhost:", output);
        Assert.Contains("; stream 1: 200", output);
    }
}
