using Hxi.Net.Tests;
using Hxi.Protocols.Http3;

namespace Hxi.Interop.Tests;

/// <summary>
/// What a user sees when an HTTP/3 server breaks the rules (issue #5 point 5): the hxi process, not the library,
/// against the hostile server kit. HostileHttp3Tests covers every violation in-process; this checks the last mile.
/// </summary>
[Trait("Category", "Interop")]
public sealed class HostileHttp3CliTests
{
    /// <summary>
    /// Process start-up included; the failure itself takes milliseconds. The bound catches a hang, not slowness: a JIT
    /// start took 5.6 s on a loaded 2-core machine, so it sits well above that.
    /// </summary>
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task SecondSettings_Exits6_WithOneLineNamingTheCode()
    {
        await using var server = HostileHttp3Server.AfterRequest(h3 => h3.Control(RawHttp3.Frame(RawHttp3.Settings)));

        var result = await HxiRunner.RunAsync("--cacert", server.CaPath, "--http3-only", server.Url.ToString());

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Equal("", result.StdOut);
        Assert.Equal("hxi: error: hxi closed the connection with H3_FRAME_UNEXPECTED: a second SETTINGS frame on the control stream\n", result.StdErr);
        Assert.True(result.Elapsed < Quickly, result.ToString());
        // The process told the server before it exited.
        var closed = await server.ClientClosedAsync();
        Assert.True(closed.IsApplicationError, closed.Describe());
        Assert.Equal((ulong)Http3ErrorCode.FrameUnexpected, closed.ErrorCode);
    }
}
