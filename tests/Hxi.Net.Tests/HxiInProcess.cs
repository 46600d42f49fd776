using System.Diagnostics;
using Hxi.Cli;

namespace Hxi.Net.Tests;

/// <summary>What one run of the hxi command line left behind: its exit status and what it wrote.</summary>
public sealed record CliResult(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.000} s\nstderr: {StdErr}\nstdout: {StdOut}";
}

/// <summary>
/// Runs the hxi command line in this process through <see cref="Program.RunAsync"/>, the same code as the executable's
/// Main (parsing, the request, the top-level error handling and exit status), with stdout and stderr captured. A case
/// costs milliseconds instead of a process start, so suites of many hostile peers stay fast.
/// </summary>
public static class HxiInProcess
{
    /// <summary>Far past any case's real work: a run that takes this long has hung, and the test says so.</summary>
    private static readonly TimeSpan HardStop = TimeSpan.FromSeconds(30);

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var body = new MemoryStream();
        var clock = Stopwatch.StartNew();
        var exit = await Program.RunAsync(args, TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), body).WaitAsync(HardStop);
        return new CliResult(exit, stdout + System.Text.Encoding.UTF8.GetString(body.ToArray()), stderr.ToString(), clock.Elapsed);
    }
}
