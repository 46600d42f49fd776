namespace Hxi.Interop.Tests;

/// <summary>
/// Issue #9: nghttpd --no-tls speaks only h2c; an HTTP/1.1 request gets its SETTINGS frame back. hxi names that,
/// with the option that works, in one-shot mode and in the REPL (which used to end with an internal error), and
/// the wire view shows the bytes before the error line.
/// </summary>
[Collection(NghttpdCollection.Name)]
[Trait("Category", "Interop")]
public sealed class H2cOnlyServerTests(NghttpdFixture nghttpd)
{
    private const string Named =
        "the server answered with an HTTP/2 SETTINGS frame where an HTTP/1.1 status line belonged: this server speaks only HTTP/2 (h2c)";

    [RequiresPeerFact("nghttpd")]
    public async Task OneShot_NamesHttp2_AndTheFlag_Exit6()
    {
        var result = await HxiRunner.RunAsync(nghttpd.BaseHttp + "/");

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Equal($"hxi: error: {Named}; use --http2-prior-knowledge\n", result.StdErr);
    }

    [RequiresPeerFact("nghttpd")]
    public async Task OneShot_TheFlagItNames_Works()
    {
        var result = await HxiRunner.RunAsync("--http2-prior-knowledge", nghttpd.BaseHttp + "/");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(NghttpdFixture.IndexHtml, result.StdOut);
    }

    [RequiresPeerFact("nghttpd")]
    public async Task WireView_ShowsTheBytes_RawAndHex_BeforeTheErrorLine()
    {
        var result = await HxiRunner.RunAsync("--frames", "--hex", nghttpd.BaseHttp + "/");

        Assert.True(result.ExitCode == 6, result.ToString());
        var shown = result.StdErr.IndexOf("bytes hxi could not parse", StringComparison.Ordinal);
        var error = result.StdErr.IndexOf("hxi: error:", StringComparison.Ordinal);
        Assert.InRange(shown, 0, error);
        // The SETTINGS frame header, escaped and as an xxd line: length 6n, type 0x04, no flags, stream 0.
        Assert.Matches(@"\\x00\\x00[\\x0-9a-f]{4}\\x04\\x00\\x00\\x00\\x00\\x00", result.StdErr);
        Assert.Matches(@"00000000: 0000 [0-9a-f]{2}04 0000 0000 00", result.StdErr);
    }

    [RequiresPeerFact("nghttpd")]
    public async Task Repl_NamesHttp2_KeepsTheSession_AndExits6()
    {
        var result = await ReplScript.RunAsync(nghttpd.BaseHttp + "/", nghttpd.CaPath, "get /\nget /\nquit\n");

        Assert.True(result.ExitCode == 6, $"exit {result.ExitCode}\n{result.StdOut}\n{result.StdErr}");
        Assert.DoesNotContain("internal error", result.StdOut + result.StdErr);
        Assert.Contains($"error: GET /: {Named}; use hxi repl --http2-prior-knowledge", result.StdOut);
        // The session went on to the second request and to its statistics.
        Assert.Equal(2, result.StdOut.Split("error: GET /:").Length - 1);
        Assert.Contains("session statistics", result.StdOut);
    }
}
