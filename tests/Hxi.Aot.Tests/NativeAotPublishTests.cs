using System.Text.RegularExpressions;
using Hxi.Interop.Tests;

namespace Hxi.Aot.Tests;

/// <summary>
/// What users run is hxi published with Native AOT (./hxi, install.sh). This publishes it once from source, into
/// a temporary folder with its own build output, and runs the binary: a trimming or AOT problem (a warning is an
/// error at publish) or code that only fails without the JIT (reflection, dynamic code) fails here.
/// </summary>
public sealed class NativeAotPublishTests
{
    // Compiling the whole CLI (Kestrel included) natively takes minutes on two busy cores; nice keeps the other test
    // assemblies, which run beside this one, from waiting on it.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [RequiresPeerFact("clang", "nice")]
    public async Task PublishedBinary_RunsTheDemoOverHttp2AndHttp3()
    {
        var work = Directory.CreateTempSubdirectory("hxi-aot-");
        try
        {
            var binary = await PublishAsync(work.FullName);

            // Start-up: a fixed-address executable (ELF e_type 2, ET_EXEC) whose data needs no relocation or
            // rehydration at start (Hxi.Cli.csproj); a position-independent one (ET_DYN, 3) starts about 9 ms slower.
            var header = new byte[18];
            await using (var file = File.OpenRead(binary))
            {
                await file.ReadExactlyAsync(header);
            }

            Assert.Equal(2, BitConverter.ToUInt16(header, 16));

            var version = await RunAsync(binary, "--version");
            Assert.Matches(new Regex(@"^hxi \d+\.\d+\.\d+\S* \(commit [0-9a-f]{12}\)\n$"), version.StdOut);

            var http2 = await RunAsync(binary, "demo");
            Assert.Contains("HTTP/2 200", http2.StdOut);
            Assert.Contains("recv HEADERS frame", http2.StdErr);
            Assert.Matches("\"proto\":\\s*\"HTTP/2\"", http2.StdOut);

            var http3 = await RunAsync(binary, "demo", "--http3");
            Assert.Contains("HTTP/3 200", http3.StdOut);
            Assert.Contains("recv HEADERS frame", http3.StdErr);
            Assert.Matches("\"proto\":\\s*\"HTTP/3\"", http3.StdOut);

            // The completion scripts walk the command tree (System.CommandLine's completions, a generated regex).
            var completion = await RunAsync(binary, "completion", "bash");
            Assert.Contains("complete -o bashdefault -o default -F _hxi hxi", completion.StdOut);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<string> PublishAsync(string work)
    {
        var project = Path.Combine(RepositoryRoot(), "src", "Hxi.Cli", "Hxi.Cli.csproj");
        var output = Path.Combine(work, "bin");
        var result = await ProcessRunner.RunAsync(
            "nice",
            ["-n", "10", "dotnet", "publish", project, "-c", "Release", "--use-current-runtime", "-p:PublishAot=true",
             "-o", output, "--artifacts-path", Path.Combine(work, "build"), "--nologo", "-v", "quiet", "-tl:off"],
            PublishTimeout,
            new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        Assert.True(result.ExitCode == 0, $"dotnet publish -p:PublishAot=true failed:\n{result}");
        var binary = Path.Combine(output, "hxi");
        Assert.True(File.Exists(binary), $"no native hxi in {output}:\n{result}");
        return binary;
    }

    private static async Task<ProcessResult> RunAsync(string binary, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(binary, arguments, RunTimeout, new Dictionary<string, string> { ["NO_COLOR"] = "1", ["TERM"] = "dumb" });
        Assert.True(result.ExitCode == 0, $"hxi {string.Join(' ', arguments)}:\n{result}");
        return result;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "hxi.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no hxi.slnx above {AppContext.BaseDirectory}");
    }
}
