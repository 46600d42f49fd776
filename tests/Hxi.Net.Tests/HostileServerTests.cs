using System.Diagnostics;
using Hxi.Cli.Commands;
using Hxi.Net.Client;
using Hxi.Protocols.Http2;

namespace Hxi.Net.Tests;

/// <summary>
/// Foundation point 9: a hostile HTTP/2 server must never hang or crash hxi. For each violation hxi sends GOAWAY
/// with the RFC 9113 code and fails the request quickly with one line naming the violation and the code.
/// </summary>
public sealed class HostileServerTests
{
    /// <summary>
    /// What these tests catch is a hang (hxi waiting for its timeout), not slowness: the bound is far above the
    /// milliseconds a failure takes, so a loaded machine (a first case paying for the JIT, other suites beside it) passes.
    /// </summary>
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FrameLargerThanOurMaxFrameSize_IsFrameSizeError()
    {
        // We advertise SETTINGS_MAX_FRAME_SIZE 65536; a larger DATA frame must be refused from its header alone.
        await using var server = HostileServer.AfterRequest((frames, ct) =>
            frames.WriteAsync(RawFrameStream.Frame(WireFrame.Data, 0, 1, new byte[ClientOptions.DefaultHttp2MaxFrameSize + 1]), ct));

        var error = await SendExpectingFailureAsync(server);

        await AssertGoAwayAsync(server, Http2ErrorCode.FrameSizeError);
        Assert.Contains("FRAME_SIZE_ERROR", error.Message);
        Assert.Contains("exceeds SETTINGS_MAX_FRAME_SIZE", error.Message);
    }

    [Fact]
    public async Task PaddingLongerThanTheFrame_IsProtocolError()
    {
        // HEADERS, PADDED: a pad length of 200 in a 2-byte payload (RFC 9113 Section 6.2).
        await using var server = HostileServer.AfterRequest((frames, ct) =>
            frames.WriteFrameAsync(WireFrame.Headers, WireFrame.Padded | WireFrame.EndHeaders, 1, [200, 0x88], ct));

        var error = await SendExpectingFailureAsync(server);

        await AssertGoAwayAsync(server, Http2ErrorCode.ProtocolError);
        Assert.Contains("PROTOCOL_ERROR", error.Message);
        Assert.Contains("pad", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WindowUpdateOverflowingTheConnectionWindow_IsFlowControlError()
    {
        // 65535 + (2^31 - 1) is past the largest window (RFC 9113 Section 6.9.1).
        await using var server = HostileServer.AfterRequest((frames, ct) =>
            frames.WriteFrameAsync(WireFrame.WindowUpdate, 0, 0, [0x7f, 0xff, 0xff, 0xff], ct));

        var error = await SendExpectingFailureAsync(server);

        await AssertGoAwayAsync(server, Http2ErrorCode.FlowControlError);
        Assert.Contains("FLOW_CONTROL_ERROR", error.Message);
        Assert.Contains("WINDOW_UPDATE", error.Message);
    }

    [Fact]
    public async Task ContinuationFlood_IsEnhanceYourCalm()
    {
        // HEADERS without END_HEADERS, then empty CONTINUATIONs that never end the block (CVE-2024-27316 style).
        await using var server = HostileServer.AfterRequest(async (frames, ct) =>
        {
            var flood = new MemoryStream();
            flood.Write(RawFrameStream.Frame(WireFrame.Headers, 0, 1, [0x88]));
            for (var i = 0; i < 2_000; i++)
            {
                flood.Write(RawFrameStream.Frame(WireFrame.Continuation, 0, 1, []));
            }

            await frames.WriteAsync(flood.ToArray(), ct);
        });

        var error = await SendExpectingFailureAsync(server);

        await AssertGoAwayAsync(server, Http2ErrorCode.EnhanceYourCalm);
        Assert.Contains("ENHANCE_YOUR_CALM", error.Message);
        Assert.Contains("CONTINUATION", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f }, "integer overflow")]
    [InlineData(new byte[] { 0xfe }, "index 126 (static table 61, dynamic table empty)")]
    public async Task HpackGarbage_IsCompressionError(byte[] block, string what)
    {
        await using var server = HostileServer.AfterRequest((frames, ct) =>
            frames.WriteFrameAsync(WireFrame.Headers, WireFrame.EndHeaders, 1, block, ct));

        var error = await SendExpectingFailureAsync(server);

        await AssertGoAwayAsync(server, Http2ErrorCode.CompressionError);
        Assert.True(error.Message.Contains("COMPRESSION_ERROR"), $"{what}: {error.Message}");
    }

    [Fact]
    public async Task DataOnAStreamNeverOpened_IsProtocolError()
    {
        await using var server = HostileServer.AfterRequest((frames, ct) =>
            frames.WriteFrameAsync(WireFrame.Data, 0, 3, "x"u8, ct));

        var error = await SendExpectingFailureAsync(server);

        await AssertGoAwayAsync(server, Http2ErrorCode.ProtocolError);
        Assert.Contains("PROTOCOL_ERROR", error.Message);
        Assert.Contains("DATA on idle stream 3", error.Message);
    }

    [Fact]
    public async Task WindowUpdateOverflowingAStreamWindow_ResetsThatStream()
    {
        // On a stream the same overflow is a stream error: RST_STREAM, not GOAWAY (RFC 9113 Section 6.9.1).
        await using var server = HostileServer.AfterRequest((frames, ct) =>
            frames.WriteFrameAsync(WireFrame.WindowUpdate, 0, 1, [0x7f, 0xff, 0xff, 0xff], ct));

        var error = await SendExpectingFailureAsync(server);

        Assert.Contains("FLOW_CONTROL_ERROR", error.Message);
        Assert.Contains("stream 1", error.Message);
        var reset = (await server.ClientFramesAsync()).FirstOrDefault(f => f.Type == WireFrame.RstStream && f.StreamId == 1);
        Assert.NotNull(reset);
        Assert.Equal((uint)Http2ErrorCode.FlowControlError, reset.ErrorCode);
    }

    [Fact]
    public async Task HeaderListLargerThanOurLimit_IsRefused()
    {
        // One literal field of 2,000 bytes against a 1,000-byte SETTINGS_MAX_HEADER_LIST_SIZE.
        var block = new MemoryStream();
        block.WriteByte(0x88);
        block.Write([0x00, 0x01, (byte)'x', 0x7f, 0xd2, 0x0e]); // literal, new name "x", value length 127 + 0x52 + (0x0e << 7) = 2001
        block.Write(new byte[2001].Select(_ => (byte)'a').ToArray());
        await using var server = HostileServer.AfterRequest((frames, ct) =>
            frames.WriteFrameAsync(WireFrame.Headers, WireFrame.EndHeaders | WireFrame.EndStream, 1, block.ToArray(), ct));

        var error = await SendExpectingFailureAsync(server, new ClientOptions { Protocol = ProtocolMode.Http2PriorKnowledge, MaxHeaderListSize = 1000 });

        Assert.Contains("1000", error.Message);
        var frames = await server.ClientFramesAsync();
        Assert.Contains(frames, f => f.Type is WireFrame.GoAway or WireFrame.RstStream);
    }

    [Fact]
    public async Task ServerClosingMidResponse_FailsTheRequest()
    {
        // A response head, part of a body, then the connection is gone.
        await using var server = HostileServer.AfterRequest(async (frames, ct) =>
        {
            await frames.WriteFrameAsync(WireFrame.Headers, WireFrame.EndHeaders, 1, [0x88], ct);
            await frames.WriteFrameAsync(WireFrame.Data, 0, 1, "partial"u8, ct);
            frames.Close();
        });

        var error = await SendExpectingFailureAsync(server);

        Assert.Equal(FailureKind.Protocol, error.Kind);
        Assert.Contains("closed the connection", error.Message);
    }

    [Fact]
    public async Task ServerThatNeverAnswers_TimesOut()
    {
        await using var server = HostileServer.Silent();
        var run = new RequestInvocation
        {
            Spec = new RequestSpec { Url = server.Url.ToString() },
            Protocol = ProtocolMode.Http2PriorKnowledge,
            Timeout = TimeSpan.FromSeconds(1),
        };
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<HxiException>(() =>
            RequestRunner.RunAsync(run, TextWriter.Null, TextWriter.Null, Stream.Null, CancellationToken.None));

        Assert.Equal(FailureKind.Timeout, error.Kind);
        Assert.Contains("timed out", error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), Quickly);
    }

    private static async Task<HxiException> SendExpectingFailureAsync(HostileServer server, ClientOptions? options = null)
    {
        await using var client = new HxiClient(options ?? new ClientOptions { Protocol = ProtocolMode.Http2PriorKnowledge });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<HxiException>(() =>
            client.SendAsync(new HxiRequest("GET", server.Url, []), new BufferingResponseHandler(), deadline.Token));

        Assert.True(clock.Elapsed < Quickly, $"took {clock.Elapsed}: {error.Message}");
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    private static async Task AssertGoAwayAsync(HostileServer server, Http2ErrorCode expected)
    {
        var frames = await server.ClientFramesAsync();
        var goAway = frames.FirstOrDefault(f => f.Type == WireFrame.GoAway);
        Assert.True(goAway is not null, $"no GOAWAY among: {string.Join("; ", frames)}");
        Assert.Equal(Http2ErrorCodes.Name(expected), Http2ErrorCodes.Name(goAway.ErrorCode));
    }
}
