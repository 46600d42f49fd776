using System.Diagnostics;
using Hxi.Cli.Output;
using Hxi.Cli.Wire;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Tests;

/// <summary>
/// A HEADERS frame and the fields decoded from it reach the output as one write, so a line another thread writes
/// meanwhile (the REPL's summary of another stream) lands before or after the block, never inside it.
/// </summary>
public sealed class WireRendererHeaderBlockTests
{
    [Fact]
    public void ALineWrittenBetweenFrameAndFields_DoesNotSplitTheBlock()
    {
        var output = new StringWriter();
        var renderer = new WireRenderer(output, new WireViewOptions(true, false, false), Palette.None, Stopwatch.StartNew());
        var block = new byte[] { 0x88 };

        renderer.Record(new WireRecord(WireDirection.Received, WireLayer.Http2, Frame(new HeadersFrame(3, block, false, true, null, null)), new HeadersFrame(3, block, false, true, null, null)));
        output.Write("; stream 1: 200, 84 body bytes\n");
        renderer.Record(new WireRecord(WireDirection.Received, WireLayer.Hpack, block, new Http2HeaderBlock(3, [new HeaderField(":status", "200")], null, 0, 0)));

        var lines = output.ToString().Split('\n');
        var title = Array.FindIndex(lines, l => l.Contains("recv HEADERS frame <length=1, flags=0x04, stream_id=3>", StringComparison.Ordinal));
        Assert.True(title > 0, output.ToString());
        var fields = Array.IndexOf(lines, "          :status: 200");
        Assert.True(fields > title, output.ToString());
        Assert.All(lines[(title + 1)..fields], line => Assert.StartsWith("          ", line));
        Assert.Equal("; stream 1: 200, 84 body bytes", lines[0]);
    }

    [Fact]
    public void AFrameThatDoesNotEndTheBlock_IsWrittenAtOnce()
    {
        var output = new StringWriter();
        var renderer = new WireRenderer(output, new WireViewOptions(true, false, false), Palette.None, Stopwatch.StartNew());
        var frame = new HeadersFrame(1, new byte[] { 0x82 }, false, false, null, null);

        renderer.Record(new WireRecord(WireDirection.Sent, WireLayer.Http2, Frame(frame), frame));

        Assert.Contains("send HEADERS frame <length=1, flags=0x00, stream_id=1>", output.ToString());
    }

    /// <summary>The renderer reads only the frame's size from its bytes: a header and a one-byte block.</summary>
    private static byte[] Frame(Http2Frame frame) => new byte[Http2FrameHeader.Size + (frame is HeadersFrame headers ? headers.BlockFragment.Length : 0)];
}
