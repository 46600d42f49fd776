using System.Diagnostics;

namespace Hxi.Interop.Tests;

/// <summary>Runs a program to completion with a timeout, capturing stdout and stderr as text.</summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        using var process = new Process { StartInfo = CreateStartInfo(fileName, arguments, environment) };
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        // No test ever types into a child: a closed stdin makes a program that waits for input end instead of hang.
        process.StandardInput.Close();

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var finished = await WaitOrKillAsync(process, timeout ?? DefaultTimeout, cancellationToken);
        stopwatch.Stop();
        var result = new ProcessResult(process.ExitCode, await stdout, await stderr, stopwatch.Elapsed);
        return finished ? result : throw TimedOut(fileName, arguments, timeout, result);
    }

    /// <summary>Runs a program and hands its stdout to <paramref name="consumeStdout"/> as a stream, for bodies too big for a string.</summary>
    public static async Task<ProcessResult> RunStreamingAsync(
        string fileName,
        IEnumerable<string> arguments,
        Func<Stream, Task> consumeStdout,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        using var process = new Process { StartInfo = CreateStartInfo(fileName, arguments, null) };
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();

        var consumed = consumeStdout(process.StandardOutput.BaseStream);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var finished = await WaitOrKillAsync(process, timeout ?? DefaultTimeout, cancellationToken);
        await consumed;
        stopwatch.Stop();
        var result = new ProcessResult(process.ExitCode, "(streamed)", await stderr, stopwatch.Elapsed);
        return finished ? result : throw TimedOut(fileName, arguments, timeout, result);
    }

    internal static ProcessStartInfo CreateStartInfo(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }
        return startInfo;
    }

    internal static string DescribeCommand(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(fileName).Select(a => a.Contains(' ') ? $"'{a}'" : a));

    /// <summary>Waits for the exit; on timeout kills the whole tree and returns false so the caller can report the output.</summary>
    private static async Task<bool> WaitOrKillAsync(Process process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    private static TimeoutException TimedOut(string fileName, IEnumerable<string> arguments, TimeSpan? timeout, ProcessResult partial) =>
        new($"'{DescribeCommand(fileName, arguments)}' did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:F0} s and was killed\n{partial}");
}
