namespace Hxi.Interop.Tests;

/// <summary>curl as the reference client the kit's own checks use; always trusts the test CA and fails loudly.</summary>
public static class Curl
{
    /// <summary>Runs `curl -sS --cacert ca.pem ARGS` and asserts it exited 0.</summary>
    public static async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(
            PeerBinaries.Require("curl"),
            ["-sS", "--max-time", "30", "--cacert", TestCertificates.CaPath, .. arguments]);
        Assert.True(result.ExitCode == 0, $"curl {string.Join(' ', arguments)} failed: {result}");
        return result;
    }

    /// <summary>Response header lines from `curl -D -` output, one list per response (interim 1xx ones included).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> ParseHeaderBlocks(string dump)
    {
        var blocks = new List<IReadOnlyList<string>>();
        List<string>? current = null;
        foreach (var line in dump.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("HTTP/", StringComparison.Ordinal))
            {
                current = [line];
                blocks.Add(current);
            }
            else if (line.Length > 0)
            {
                current?.Add(line);
            }
        }
        return blocks;
    }
}
