namespace Hxi.Interop.Tests;

/// <summary>What a finished child process left behind.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    /// <summary>A one-screen description for assertion messages.</summary>
    public override string ToString() =>
        $"exit {ExitCode} after {Elapsed.TotalMilliseconds:F0} ms\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}
