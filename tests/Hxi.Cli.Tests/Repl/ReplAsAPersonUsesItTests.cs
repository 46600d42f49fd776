using System.Diagnostics;
using Hxi.Cli.Output;
using Hxi.Cli.Repl.Sessions;
using Hxi.Cli.Repl.Terminal;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Tests.Repl;

/// <summary>
/// The REPL's small courtesies, scripted against the embedded server: hand-sent frames confirmed with the frame view off,
/// history, help that is never cut short, commands that fail before they claim to have sent anything.
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
public sealed class ReplAsAPersonUsesItTests(EmbeddedServerFixture fixture)
{
    [Fact]
    public async Task FramesOff_EachHandSentCommandIsConfirmedInOneLine()
    {
        var (exit, output) = await fixture.RunAsync("""
            settings MAX_CONCURRENT_STREAMS=5
            raw 0x8 0x0 0 00000010
            headers --split 10 GET /json
            wait stream 1 end
            quit
            """, frames: false);

        Assert.Equal(0, exit);
        Assert.Contains("\n; sent SETTINGS frame <length=6, flags=0x00, stream_id=0>\n", output);
        Assert.Contains("\n; sent WINDOW_UPDATE frame <length=4, flags=0x00, stream_id=0>\n", output);
        Assert.Matches(@"\n; sent HEADERS frame <length=10, flags=0x01, stream_id=1>, CONTINUATION frame <length=10, flags=0x00, stream_id=1>, CONTINUATION frame <length=\d+, flags=0x04, stream_id=1>\n", output);
        Assert.DoesNotContain("send SETTINGS frame", output);
    }

    [Fact]
    public async Task FramesOn_TheFramesThemselvesAreTheConfirmation()
    {
        var (_, output) = await fixture.RunAsync("settings MAX_CONCURRENT_STREAMS=5\nquit\n");

        Assert.Contains("send SETTINGS frame <length=6, flags=0x00, stream_id=0>", output);
        Assert.DoesNotContain("; sent SETTINGS", output);
    }

    [Fact]
    public void AStreamedBody_IsPrintedAsItArrives_NotWhenItEnds()
    {
        var output = new StringWriter();
        var context = new ReplContext
        {
            Out = output,
            Colours = Palette.None,
            Renderer = new WireRenderer(output, new WireViewOptions(false, false, false), Palette.None, Stopwatch.StartNew()),
            BaseUrl = fixture.Server.HttpsUri,
            ClientOptions = new ClientOptions(),
        };
        var printer = new LiveResponsePrinter(context, printHead: true, "HTTP/2");

        printer.OnResponseHead(new ResponseHead("h2", 200, "", [new HeaderField("content-type", "application/x-ndjson")], 1));
        printer.OnBodyData("{\"id\":0}\n{\"id\""u8);
        Assert.Equal("HTTP/2 200\ncontent-type: application/x-ndjson\n\n{\"id\":0}\n{\"id\"", output.ToString());

        // A character split between two DATA frames is printed whole, once its second half arrives.
        printer.OnBodyData(":1,\"é\":"u8[..^3]);
        printer.OnBodyData(":1,\"é\":"u8[^3..]);
        printer.Finish();
        Assert.EndsWith("{\"id\":1,\"é\":\n", output.ToString());
        Assert.Equal("{\"id\":0}\n{\"id\":1,\"é\":"u8.ToArray(), printer.Body);
    }

    [Fact]
    public async Task FramesOff_TheHeadAndBodyArePrinted_Once()
    {
        var (exit, output) = await fixture.RunAsync("get /stream/2\nquit\n", frames: false);

        Assert.Equal(0, exit);
        Assert.Single(output.Split('\n'), l => l == "HTTP/2 200");
        Assert.Single(output.Split('\n'), l => l.StartsWith("{\"id\":1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task History_ListsTheLinesEntered_NumberedAsBashDoes()
    {
        var (exit, output) = await fixture.RunAsync("ping\nget /json\nhistory\nhistory 2\nquit\n", frames: false);

        Assert.Equal(0, exit);
        Assert.Contains("h2 localhost:" + fixture.Server.HttpsUri.Port + "> history\n  1  ping\n  2  get /json\n  3  history\n", output);
        Assert.Contains("> history 2\n  3  history\n  4  history 2\n", output);
    }

    [Fact]
    public async Task Help_IsNeverCutShort()
    {
        var (exit, output) = await fixture.RunAsync("help\nquit\n", frames: false);

        Assert.Equal(0, exit);
        Assert.Contains("[--pad N] [--split BYTES] [METHOD /path] [-H 'Name: value']", output);
        Assert.Contains("history [N]", output);
        Assert.Contains("(then header lines, an empty line, a body if Content-Length says so)", output);
    }

    [Fact]
    public void Wrapping_BreaksAtSpaces_UnderAHangingIndent()
    {
        var text = TextWrap.Hanging("  name ", 7, "one two three four five six seven eight", 30);

        Assert.Equal("  name one two three four five\n       six seven eight\n", text);
        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= 30, line));
        Assert.Equal(["a-word-longer-than-the-width", "b"], TextWrap.Lines("a-word-longer-than-the-width b", 10));
        Assert.Equal(["not wrapped for a pipe"], TextWrap.Lines("not wrapped for a pipe", null));
    }

    [Fact]
    public async Task StreamBytes_OnAClosedStream_FailsBeforeItSaysSend()
    {
        Assert.True(fixture.Server.Http3Enabled, fixture.Server.Http3Problem);
        var (exit, output) = await fixture.RunAsync("get /json\nstream-bytes 0 0001\nstream-bytes 3 00\nquit\n", mode: ProtocolMode.Http3Only);

        Assert.Equal(2, exit);
        Assert.Contains("error: stream-bytes: stream 0 is not open", output);
        Assert.Contains("error: stream-bytes: stream 3 is a unidirectional stream the server opened", output);
        Assert.DoesNotContain("raw bytes on stream", output);
    }

    [Fact]
    public async Task ACommandForAnotherProtocol_IsNamedAsItIsTyped()
    {
        var (_, http1) = await fixture.RunAsync("window-update 0 10\nmax-push-id 1\nquit\n", mode: ProtocolMode.Http11, frames: false);
        var (_, http2) = await fixture.RunAsync("open-uni grease\nquit\n", frames: false);

        Assert.Contains("error: window-update sends an HTTP/2 frame, but this connection speaks HTTP/1.1", http1);
        Assert.Contains("error: max-push-id is an HTTP/3 command, but this connection speaks HTTP/1.1", http1);
        Assert.Contains("error: open-uni is an HTTP/3 command, but this connection speaks HTTP/2", http2);
    }

    [Theory]
    [InlineData("repl", "--bogus", "hxi: error: unknown option '--bogus' (see hxi repl --help)\n")]
    [InlineData("repl", "-Z", "hxi: error: unknown option '-Z' (see hxi repl --help)\n")]
    [InlineData("serve", "--bogus", "hxi: error: unknown option '--bogus' (see hxi serve --help)\n")]
    public async Task AnUnknownOption_IsNamed_NotTheUrlAfterIt(string command, string option, string expected)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await Program.RunAsync([command, option, "https://localhost:1/"], stdout, stderr, Stream.Null);

        Assert.Equal(2, exit);
        Assert.Equal(expected, stderr.ToString());
    }
}
