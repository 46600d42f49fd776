using System.Text.RegularExpressions;

namespace Hxi.Cli.Tests.Repl;

/// <summary>
/// The REPL in a real terminal (tmux): a frame that arrives while the user is typing is printed above
/// the prompt, and the half-typed line survives on the prompt line below it; over HTTP/3 as over HTTP/2.
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
public sealed class TerminalTests(EmbeddedServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [RequiresTmuxFact]
    public async Task FrameArrivingWhileTyping_IsPrintedAbovePrompt_AndTheTypedTextSurvives()
    {
        using var terminal = StartRepl();
        await terminal.WaitForScreenAsync(s => s.Contains("h2 localhost:", StringComparison.Ordinal) && s.TrimEnd().EndsWith('>'), Patience);

        // The answer to this request arrives ~1.5 s later, while the next line is half typed.
        terminal.Type("headers GET /delay/1500");
        terminal.SendKeys("Enter");
        await terminal.WaitForScreenAsync(s => s.Contains("wait stream 1 end", StringComparison.Ordinal), Patience);
        terminal.Type("get /half-typ");
        var screen = await terminal.WaitForScreenAsync(s => s.Contains("stream 1 ended", StringComparison.Ordinal), Patience);

        var lines = screen.TrimEnd('\n', ' ').Split('\n').Select(l => l.TrimEnd()).ToList();
        var frame = lines.FindLastIndex(l => l.Contains("recv HEADERS frame", StringComparison.Ordinal) && l.Contains("stream_id=1", StringComparison.Ordinal));
        Assert.True(frame >= 0, $"no HEADERS frame for stream 1 on screen:\n{screen}");
        Assert.Contains(lines, l => l.Contains("waited 1500 ms", StringComparison.Ordinal));
        Assert.Equal("h2 localhost:" + fixture.Server.HttpsUri.Port + "> get /half-typ", lines[^1]);
        Assert.True(frame < lines.Count - 1);

        // The line was kept, not just drawn: finishing it sends the request.
        terminal.Type("ed");
        terminal.SendKeys("Enter");
        // Waits for the frames themselves: a bare "404" also turns up in timestamps such as [  2.404].
        screen = await terminal.WaitForScreenAsync(s => s.Contains(":path: /half-typed", StringComparison.Ordinal) && s.Contains(":status: 404", StringComparison.Ordinal), Patience);
        Assert.Contains(":path: /half-typed", screen);
    }

    [RequiresTmuxFact]
    public async Task CtrlD_QuitsWithStatistics_AndHistoryPersists()
    {
        var history = Path.Combine(Path.GetTempPath(), $"hxi-history-{Guid.NewGuid():N}");
        try
        {
            using (var terminal = StartRepl(history))
            {
                await terminal.WaitForScreenAsync(s => s.TrimEnd().EndsWith('>'), Patience);
                terminal.Type("pi");
                terminal.SendKeys("Tab");
                terminal.SendKeys("Enter");
                await terminal.WaitForScreenAsync(s => s.Contains("PING answered", StringComparison.Ordinal), Patience);
                terminal.SendKeys("C-d");
                var screen = await terminal.WaitForScreenAsync(s => s.Contains("reconnects after", StringComparison.Ordinal), Patience);
                Assert.Contains("session statistics", screen);
                Assert.Contains("frames sent", screen);
            }

            Assert.Equal(["ping"], File.ReadAllLines(history));
        }
        finally
        {
            File.Delete(history);
        }
    }

    [RequiresTmuxFact]
    public async Task CtrlC_ClearsTheTypedLine_AndTwiceOnAnEmptyLineQuits()
    {
        using var terminal = StartRepl();
        var prompt = "h2 localhost:" + fixture.Server.HttpsUri.Port + ">";
        await terminal.WaitForScreenAsync(s => s.TrimEnd().EndsWith('>'), Patience);
        terminal.Type("get /never-sent");
        await terminal.WaitForScreenAsync(s => s.Contains("/never-sent", StringComparison.Ordinal), Patience);
        terminal.SendKeys("C-c");
        var screen = await terminal.WaitForScreenAsync(s => s.Contains("/never-sent^C", StringComparison.Ordinal), Patience);
        Assert.Equal(prompt, LastLine(screen));

        // The session goes on: a command typed now runs.
        terminal.Type("ping");
        terminal.SendKeys("Enter");
        screen = await terminal.WaitForScreenAsync(s => s.Contains("PING answered", StringComparison.Ordinal), Patience);
        Assert.DoesNotContain(":path: /never-sent", screen);

        terminal.SendKeys("C-c");
        screen = await terminal.WaitForScreenAsync(s => s.Contains("Ctrl-C again", StringComparison.Ordinal), Patience);
        Assert.Equal(prompt, LastLine(screen));
        terminal.SendKeys("C-c");
        // The statistics' last line: the whole block is on screen.
        screen = await terminal.WaitForScreenAsync(s => s.Contains("reconnects after", StringComparison.Ordinal), Patience);
        Assert.Contains("session statistics", screen);
    }

    private static string LastLine(string screen) => screen.TrimEnd('\n', ' ').Split('\n')[^1].TrimEnd();

    [RequiresTmuxFact]
    public async Task CtrlC_StopsTheRunningCommand_NotTheSession()
    {
        using var terminal = StartRepl();
        await terminal.WaitForScreenAsync(s => s.TrimEnd().EndsWith('>'), Patience);
        terminal.Type("get /delay/10000");
        terminal.SendKeys("Enter");
        await terminal.WaitForScreenAsync(s => s.Contains("stream_id=1>", StringComparison.Ordinal), Patience);
        terminal.SendKeys("C-c");
        await terminal.WaitForScreenAsync(s => s.Contains("error: interrupted", StringComparison.Ordinal), Patience);

        // Past System.CommandLine's usual two-second grace period: the process must still be there.
        await Task.Delay(2500);
        terminal.Type("ping");
        terminal.SendKeys("Enter");
        var screen = await terminal.WaitForScreenAsync(s => s.Contains("PING answered", StringComparison.Ordinal), Patience);

        Assert.Contains("send RST_STREAM frame", screen);
        Assert.Contains("PING answered", screen);
    }

    [RequiresTmuxFact]
    public async Task Http3Session_ShowsFramesAndJson_RunsPing_AndQuitsWithTheQuicFigures()
    {
        Assert.True(fixture.Server.Http3Enabled, fixture.Server.Http3Problem);
        using var terminal = StartRepl(options: "--http3-only");
        var prompt = "h3 localhost:" + fixture.Server.HttpsUri.Port + ">";
        var screen = await terminal.WaitForScreenAsync(s => s.Contains(prompt, StringComparison.Ordinal), Patience);
        Shows(screen, @"send stream 2 opened as control \(type 0x0\)", @"recv SETTINGS frame <length=\d+, stream_id=3>", "ALPN h3");

        terminal.Type("GET /json");
        terminal.SendKeys("Enter");
        screen = await terminal.WaitForScreenAsync(s => s.Contains("; stream 0: 200", StringComparison.Ordinal), Patience);
        Shows(screen,
            @"send HEADERS frame <length=\d+, stream_id=0>\s+:method: GET\s+:scheme: https\s+:authority: \S+\s+:path: /json\n",
            @"recv HEADERS frame <length=\d+, stream_id=0>",
            ":status: 200",
            @"recv DATA frame <length=\d+, stream_id=0>",
            "\"proto\": \"HTTP/3\"");

        terminal.Type("ping");
        terminal.SendKeys("Enter");
        screen = await terminal.WaitForScreenAsync(s => s.Contains("PING acknowledged", StringComparison.Ordinal), Patience);
        Shows(screen, Regex.Escape(prompt + " ping"), "send QUIC PING");

        terminal.Type("quit");
        terminal.SendKeys("Enter");
        screen = await terminal.WaitForScreenAsync(s => s.Contains("quic ecn", StringComparison.Ordinal), Patience);
        Shows(screen,
            "session statistics",
            @"requests\s+1 \(1 completed, 0 failed\)",
            @"quic packets\s+[1-9]\d* sent, [1-9]\d* received, \d+ lost",
            @"quic rtt\s+min \d+\.\d ms, smoothed \d+\.\d ms",
            @"quic cwnd\s+[1-9]\d* bytes \(congestion window\)",
            @"quic ecn\s+(testing|unknown|capable|failed), \d+ CE reported by the peer; received ECT\(0\) \d+, ECT\(1\) \d+, CE \d+");
    }

    private static void Shows(string screen, params string[] patterns)
    {
        foreach (var pattern in patterns)
        {
            Assert.True(Regex.IsMatch(screen, pattern), $"'{pattern}' is not on the screen:\n{screen}");
        }
    }

    private Tmux StartRepl(string? history = null, string options = "")
    {
        var hxi = Path.Combine(AppContext.BaseDirectory, "hxi.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return Tmux.Start(
            $"{dotnet} {hxi} repl {options} --cacert {fixture.Server.CaCertificatePath} {fixture.Server.HttpsUri}",
            new Dictionary<string, string>
            {
                ["NO_COLOR"] = "1",
                ["HXI_HISTORY"] = history ?? Path.Combine(Path.GetTempPath(), $"hxi-history-{Guid.NewGuid():N}"),
            });
    }
}
