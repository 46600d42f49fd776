using System.Diagnostics;
using Hxi.Net.Client;
using Hxi.Protocols.Http3;

namespace Hxi.Net.Tests;

/// <summary>
/// Issue #5 point 5, end to end: a hostile HTTP/3 server over real UDP must never hang or crash hxi. For each
/// violation hxi closes the connection with the RFC 9114 or RFC 9204 code (or gives up the one stream, where the
/// violation is the stream's alone) and fails the request quickly with one line naming the code.
/// </summary>
public sealed class HostileHttp3Tests
{
    /// <summary>
    /// What these tests catch is a hang (hxi waiting for its timeout), not slowness: the bound is far above the
    /// milliseconds a failure takes, so a loaded machine (a first case paying for the JIT, other suites beside it) passes.
    /// </summary>
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SecondSettings_IsFrameUnexpected()
    {
        // RFC 9114 Section 7.2.4: "If an endpoint receives a second SETTINGS frame on the control stream, ... H3_FRAME_UNEXPECTED".
        await using var server = HostileHttp3Server.AfterRequest(h3 => h3.Control(RawHttp3.Frame(RawHttp3.Settings)));

        var error = await SendExpectingFailureAsync(server);

        Assert.Contains("H3_FRAME_UNEXPECTED", error.Message);
        Assert.Contains("second SETTINGS", error.Message);
        await AssertClientClosedAsync(server, Http3ErrorCode.FrameUnexpected);
    }

    [Fact]
    public async Task DataOnTheControlStream_IsFrameUnexpected()
    {
        // RFC 9114 Section 7.2.1: DATA received on a control stream is H3_FRAME_UNEXPECTED.
        await using var server = HostileHttp3Server.AfterRequest(h3 => h3.Control(RawHttp3.Frame(RawHttp3.Data, "x"u8.ToArray())));

        var error = await SendExpectingFailureAsync(server);

        Assert.Contains("H3_FRAME_UNEXPECTED", error.Message);
        Assert.Contains("DATA", error.Message);
        await AssertClientClosedAsync(server, Http3ErrorCode.FrameUnexpected);
    }

    [Fact]
    public async Task DataBeforeHeaders_IsFrameUnexpected()
    {
        // RFC 9114 Section 4.1: an invalid sequence of frames on a request stream is a connection error of type H3_FRAME_UNEXPECTED.
        await using var server = HostileHttp3Server.AfterRequest(h3 =>
            h3.Request([.. RawHttp3.Frame(RawHttp3.Data, "body"u8.ToArray()), .. RawHttp3.Frame(RawHttp3.Headers, RawHttp3.Status200)], fin: true));

        var error = await SendExpectingFailureAsync(server);

        Assert.Contains("H3_FRAME_UNEXPECTED", error.Message);
        Assert.Contains("DATA before the header section on stream 0", error.Message);
        await AssertClientClosedAsync(server, Http3ErrorCode.FrameUnexpected);
    }

    [Fact]
    public async Task ResponseEndingBeforeHeaders_FailsTheRequest_WithRequestIncomplete()
    {
        // RFC 9114 Section 4.1: the stream ends without a response. That spoils the one exchange, not the connection.
        await using var server = HostileHttp3Server.AfterRequest(h3 => h3.Request([], fin: true));

        var error = await SendExpectingFailureAsync(server);

        Assert.Contains("H3_REQUEST_INCOMPLETE", error.Message);
        Assert.Contains("stream 0", error.Message);
        await AssertClientClosedAsync(server, Http3ErrorCode.NoError);
    }

    [Theory]
    // Required Insert Count 1 (encoded 2, as for a 4096-byte table), Base 1, dynamic index 0: a table we never allowed.
    [InlineData(new byte[] { 0x02, 0x00, 0x80 }, "exceeds 2 * MaxEntries = 0")]
    // Required Insert Count 0, yet a reference to the dynamic table (relative index 0).
    [InlineData(new byte[] { 0x00, 0x00, 0x80 }, "outside the Required Insert Count 0")]
    public async Task HeadersReferencingAnEntryNeverInserted_WithCapacity0_IsDecompressionFailed(byte[] section, string why)
    {
        // RFC 9204 Sections 2.2.3 and 4.5.1.1: QPACK_DECOMPRESSION_FAILED, a connection error.
        await using var server = HostileHttp3Server.AfterRequest(h3 => h3.Request(RawHttp3.Frame(RawHttp3.Headers, section), fin: true));

        var error = await SendExpectingFailureAsync(server, Options(server) with { QpackCapacity = 0 });

        Assert.Contains("QPACK_DECOMPRESSION_FAILED", error.Message);
        Assert.Contains(why, error.Message);
        await AssertClientClosedAsync(server, Http3ErrorCode.QpackDecompressionFailed);
    }

    [Fact]
    public async Task HeadersReferencingAnEvictedEntry_IsDecompressionFailed()
    {
        // RFC 9204 Section 2.2.3. A 64-byte table holds one 34-byte entry: inserting "c: d" evicts "a: b" (absolute index 0). The section then
        // names both: Required Insert Count 2 (encoded 3), Base 2, relative 0 (absolute 1, "c") and relative 1 (absolute 0, gone).
        await using var server = HostileHttp3Server.AfterRequest(h3 =>
        {
            h3.Encoder([.. RawHttp3.SetCapacity(64), .. RawHttp3.InsertLiteral("a", "b"), .. RawHttp3.InsertLiteral("c", "d")]);
            h3.Request(RawHttp3.Frame(RawHttp3.Headers, 0x03, 0x00, 0xd9, 0x80, 0x81), fin: true);
        });

        var error = await SendExpectingFailureAsync(server);

        Assert.Contains("QPACK_DECOMPRESSION_FAILED", error.Message);
        Assert.Contains("absolute index 0, which was evicted", error.Message);
        await AssertClientClosedAsync(server, Http3ErrorCode.QpackDecompressionFailed);
    }

    public static TheoryData<byte[], string> TableBreakingInstructions => new()
    {
        // RFC 9204 Section 4.3.1: a capacity above our SETTINGS_QPACK_MAX_TABLE_CAPACITY (4096).
        { RawHttp3.SetCapacity(4097), "Set Dynamic Table Capacity 4097 exceeds our SETTINGS_QPACK_MAX_TABLE_CAPACITY of 4096" },
        // RFC 9204 Section 3.2.2: an entry of 5 + 40 + 32 bytes in the 64 bytes the encoder itself set.
        { [.. RawHttp3.SetCapacity(64), .. RawHttp3.InsertLiteral("hello", new string('x', 40))], "does not fit the table capacity of 64" },
        // RFC 9204 Section 4.3.4: Duplicate of relative index 0 in an empty table.
        { RawHttp3.Duplicate(0), "Duplicate refers to relative index 0 (absolute -1), which is not in the table" },
        // RFC 9204 Section 2.2.3: Duplicate of an evicted entry, "a: b" (absolute 0, relative 1), pushed out of a 64-byte table by "c: d".
        {
            [.. RawHttp3.SetCapacity(64), .. RawHttp3.InsertLiteral("a", "b"), .. RawHttp3.InsertLiteral("c", "d"), .. RawHttp3.Duplicate(1)],
            "Duplicate refers to relative index 1 (absolute 0), which is not in the table"
        },
    };

    [Theory]
    [MemberData(nameof(TableBreakingInstructions))]
    public async Task EncoderStreamBreakingTheTable_IsEncoderStreamError(byte[] instructions, string why)
    {
        await using var server = HostileHttp3Server.AfterRequest(h3 => h3.Encoder(instructions));

        var error = await SendExpectingFailureAsync(server);

        Assert.Contains("QPACK_ENCODER_STREAM_ERROR", error.Message);
        Assert.Contains(why, error.Message);
        await AssertClientClosedAsync(server, Http3ErrorCode.QpackEncoderStreamError);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HeadersThatNeverUnblock_GiveUpTheStream_WithDecompressionFailed(bool responseEnds)
    {
        // Required Insert Count 1 (encoded 2), Base 1, dynamic index 0 — and the insert never comes. RFC 9204 Section 2.2.1
        // sets no limit on the wait; hxi waits QpackBlockedStreamTimeout, then abandons that stream alone.
        var timeout = TimeSpan.FromMilliseconds(300);
        await using var server = HostileHttp3Server.AfterRequest(h3 => h3.Request(RawHttp3.Frame(RawHttp3.Headers, 0x02, 0x00, 0x80), responseEnds));
        var clock = Stopwatch.StartNew();

        var error = await SendExpectingFailureAsync(server, Options(server) with { QpackBlockedStreamTimeout = timeout });

        Assert.True(clock.Elapsed >= timeout, $"gave up after {clock.Elapsed}, before the {timeout} timeout");
        Assert.Contains("QPACK_DECOMPRESSION_FAILED", error.Message);
        Assert.Contains("stayed blocked for 0.3 s", error.Message);
        // RFC 9204 Section 4.4.2: the server's encoder learns the section is abandoned.
        Assert.Equal(RawHttp3.StreamCancellation(0), await server.ClientDecoderInstructionsAsync());
        if (!responseEnds)
        {
            // A response still arriving is stopped; one already ended has nothing left to stop.
            Assert.Equal((ulong)Http3ErrorCode.QpackDecompressionFailed, await server.RequestStoppedAsync());
        }

        await AssertClientClosedAsync(server, Http3ErrorCode.NoError);
    }

    [Fact]
    public async Task ControlStreamClosed_IsClosedCriticalStream()
    {
        // RFC 9114 Section 6.2.1: closure of the control stream is a connection error of type H3_CLOSED_CRITICAL_STREAM.
        await using var server = HostileHttp3Server.AfterRequest(h3 => h3.Control([], fin: true));

        var error = await SendExpectingFailureAsync(server);

        Assert.Contains("H3_CLOSED_CRITICAL_STREAM", error.Message);
        Assert.Contains("closed its control stream", error.Message);
        await AssertClientClosedAsync(server, Http3ErrorCode.ClosedCriticalStream);
    }

    [Fact]
    public async Task ControlStreamReset_IsClosedCriticalStream()
    {
        // RFC 9114 Section 6.2.1 again: a reset is a closure too.
        await using var server = HostileHttp3Server.AfterRequest(h3 => h3.ResetControl((ulong)Http3ErrorCode.NoError));

        var error = await SendExpectingFailureAsync(server);

        Assert.Contains("H3_CLOSED_CRITICAL_STREAM", error.Message);
        Assert.Contains("reset its Control stream", error.Message);
        await AssertClientClosedAsync(server, Http3ErrorCode.ClosedCriticalStream);
    }

    [Fact]
    public async Task EncoderStreamClosed_IsClosedCriticalStream()
    {
        // RFC 9204 Section 4.2: closure of either QPACK stream is H3_CLOSED_CRITICAL_STREAM.
        await using var server = HostileHttp3Server.AfterRequest(h3 => h3.Encoder([], fin: true));

        var error = await SendExpectingFailureAsync(server);

        Assert.Contains("H3_CLOSED_CRITICAL_STREAM", error.Message);
        Assert.Contains("closed its QPACK encoder stream", error.Message);
        await AssertClientClosedAsync(server, Http3ErrorCode.ClosedCriticalStream);
    }

    private static ClientOptions Options(HostileHttp3Server server) =>
        new() { Protocol = ProtocolMode.Http3Only, CaCertificatePath = server.CaPath };

    private static async Task<HxiException> SendExpectingFailureAsync(HostileHttp3Server server, ClientOptions? options = null)
    {
        await using var client = new HxiClient(options ?? Options(server));
        var clock = Stopwatch.StartNew();

        var send = client.SendAsync(new HxiRequest("GET", server.Url, []), new BufferingResponseHandler(), CancellationToken.None);
        var error = await Assert.ThrowsAsync<HxiException>(() => send.WaitAsync(Quickly));

        Assert.True(clock.Elapsed < Quickly, $"took {clock.Elapsed}: {error.Message}");
        Assert.Equal(FailureKind.Protocol, error.Kind);
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    /// <summary>
    /// The client's CONNECTION_CLOSE as the server received it: an HTTP/3 (application) close with this code. After a stream
    /// error the connection lived on, so the close is disposal's H3_NO_ERROR.
    /// </summary>
    private static async Task AssertClientClosedAsync(HostileHttp3Server server, Http3ErrorCode expected)
    {
        var closed = await server.ClientClosedAsync();
        Assert.True(closed.IsApplicationError, $"a transport close: {closed.Describe()}");
        Assert.Equal(Http3ErrorCodes.Name(expected), Http3ErrorCodes.Name(closed.ErrorCode));
    }
}
