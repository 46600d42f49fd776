namespace Hxi.Net.Tests;

/// <summary>What every hostile-peer case demands of the hxi command line, whatever the protocol.</summary>
public static class HostileAssert
{
    /// <summary>
    /// The exit status; for a failure exactly one stderr line, "hxi: error: ...", naming <paramref name="code"/> (and
    /// <paramref name="says"/>, the violation); for a success, nothing on stderr. Never the internal-error path (exit 1).
    /// </summary>
    public static void Outcome(int exit, string? code, string? says, CliResult result)
    {
        Assert.DoesNotContain("internal error", result.StdErr, StringComparison.OrdinalIgnoreCase);
        Assert.True(result.ExitCode == exit, $"expected exit {exit}: {result}");
        if (exit == 0)
        {
            Assert.True(result.StdErr.Length == 0, result.ToString());
            return;
        }

        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && result.StdErr.EndsWith('\n'), $"expected one stderr line: {result}");
        Assert.StartsWith("hxi: error: ", lines[0]);
        Assert.True(code is null || lines[0].Contains(code, StringComparison.Ordinal), $"expected the code {code}: {result}");
        Assert.True(says is null || lines[0].Contains(says, StringComparison.OrdinalIgnoreCase), $"expected the line to name '{says}': {result}");
    }
}
