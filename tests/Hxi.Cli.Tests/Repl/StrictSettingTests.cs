using Hxi.Cli.Repl;
using Hxi.Cli.Repl.Parsing;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Net.Tests;
using Hxi.Protocols.Http2;

namespace Hxi.Cli.Tests.Repl;

/// <summary>
/// The REPL's <c>strict</c> setting: off by default, a malformed response is a warning naming the rule and the
/// stream goes on (its users want to see what a broken server sends); on, it fails as in the one-shot CLI.
/// </summary>
public sealed class StrictSettingTests
{
    // HPACK: :status 200 (static index 8), then content-length (static 28) "1000" as a literal without indexing.
    private static readonly byte[] Status200ContentLength1000 = [0x88, 0x0f, 0x0d, 0x04, .. "1000"u8];

    private static HostileServer ShortBodyServer() => HostileServer.AfterRequest(async (frames, ct) =>
    {
        await frames.WriteFrameAsync(WireFrame.Headers, WireFrame.EndHeaders, 1, Status200ContentLength1000, ct);
        await frames.WriteFrameAsync(WireFrame.Data, WireFrame.EndStream, 1, "0123456789"u8, ct);
    });

    private static async Task<(int Exit, string Output)> RunAsync(HostileServer server, string script)
    {
        var settings = new ReplSettings
        {
            Url = server.Url,
            Mode = ProtocolMode.Http2PriorKnowledge,
            View = new WireViewOptions(false, false, false),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exit = await ReplRunner.RunAsync(settings, new StringReader(script), output, timeout.Token);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task StrictOff_ByDefault_WarnsWithTheRule_AndShowsTheResponse()
    {
        await using var server = ShortBodyServer();

        var (_, output) = await RunAsync(server, "get /hostile\nquit\n");

        Assert.Contains("! warning: malformed response on stream 1: content-length 1000 but 10 bytes of DATA (RFC 9113 8.1.1)\n", output);
        Assert.Contains("0123456789", output);
        Assert.DoesNotContain("hxi: error", output);
        var sent = await server.ClientFramesAsync();
        Assert.DoesNotContain(sent, f => f.Type == WireFrame.RstStream);
    }

    [Fact]
    public async Task StrictOn_ResetsTheStream_AndFailsTheRequestAsTheOneShotCliDoes()
    {
        await using var server = ShortBodyServer();

        var (_, output) = await RunAsync(server, "strict on\nget /hostile\nquit\n");

        Assert.Contains("; strict on: a malformed response resets its stream and fails the request", output);
        Assert.Contains("malformed response on stream 1: content-length 1000 but 10 bytes of DATA (RFC 9113 8.1.1); hxi reset the stream with PROTOCOL_ERROR", output);
        Assert.DoesNotContain("! warning:", output);
        var sent = await server.ClientFramesAsync();
        Assert.Contains(sent, f => f.Type == WireFrame.RstStream && f.StreamId == 1 && f.ErrorCode == (uint)Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void Strict_ParsesOnOffOrNothing()
    {
        Assert.Equal(new StrictCommand(true), ReplParser.Parse(["strict on"]));
        Assert.Equal(new StrictCommand(false), ReplParser.Parse(["strict off"]));
        Assert.Equal(new StrictCommand(null), ReplParser.Parse(["strict"]));
        Assert.Equal("usage: strict on|off", Assert.Throws<ReplInputException>(() => ReplParser.Parse(["strict on off"])).Message);
    }
}
