using System.Diagnostics;

namespace Hxi.Cli.Tests.Repl;

/// <summary>A detached tmux session running one program in a real terminal: keys in with send-keys, the screen out with capture-pane.</summary>
public sealed class Tmux : IDisposable
{
    private readonly string _name = $"hxi-test-{Guid.NewGuid():N}"[..20];

    private Tmux()
    {
    }

    public static string? Path => (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => System.IO.Path.Combine(d, "tmux"))
        .FirstOrDefault(File.Exists);

    /// <summary>Starts <paramref name="command"/> (a shell command line) in a new 120x40 terminal.</summary>
    public static Tmux Start(string command, IReadOnlyDictionary<string, string> environment)
    {
        var tmux = new Tmux();
        var exports = string.Join(' ', environment.Select(e => $"{e.Key}='{e.Value}'"));
        tmux.Run("new-session", "-d", "-s", tmux._name, "-x", "120", "-y", "40", $"env {exports} {command}; sleep 60");
        return tmux;
    }

    public void SendKeys(params string[] keys) => Run(["send-keys", "-t", _name, .. keys]);

    /// <summary>Types text literally (no key names), as a person would.</summary>
    public void Type(string text) => Run("send-keys", "-t", _name, "-l", text);

    public string Capture() => Run("capture-pane", "-p", "-t", _name);

    /// <summary>Polls the screen until <paramref name="done"/> holds; returns the last screen either way.</summary>
    public async Task<string> WaitForScreenAsync(Func<string, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var screen = Capture();
        while (!done(screen) && clock.Elapsed < timeout)
        {
            await Task.Delay(100);
            screen = Capture();
        }

        return screen;
    }

    private string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("'tmux' is not on PATH (apt-get install tmux)"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    public void Dispose()
    {
        try
        {
            Run("kill-session", "-t", _name);
        }
        catch (InvalidOperationException)
        {
            // No tmux, no session to end.
        }
    }
}
