namespace Hxi.Interop.Tests;

/// <summary>Runs the built hxi CLI as a child process (`dotnet hxi.dll ...`), as a user would, and captures what it printed.</summary>
public static class HxiRunner
{
    private static readonly Lazy<string> Assembly = new(LocateAssembly);

    private static readonly Lazy<string> DotnetHost = new(LocateDotnetHost);

    /// <summary>Full path of hxi.dll: next to the test assembly (the project reference copies it), else the CLI's own bin folder.</summary>
    public static string AssemblyPath => Assembly.Value;

    /// <summary>The dotnet host that runs <see cref="AssemblyPath"/>, for tests that wrap hxi in another program.</summary>
    public static string DotnetHostPath => DotnetHost.Value;

    public static Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(arguments, timeout: null);

    public static Task<ProcessResult> RunAsync(
        IEnumerable<string> arguments,
        TimeSpan? timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        // Plain output: no colours or terminal probing from the console library when the output is a pipe.
        var merged = new Dictionary<string, string> { ["NO_COLOR"] = "1", ["TERM"] = "dumb" };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }
        return ProcessRunner.RunAsync(DotnetHost.Value, arguments.Prepend(AssemblyPath), timeout, merged, cancellationToken);
    }

    /// <summary>Runs hxi and hands its stdout to <paramref name="consumeStdout"/> as a stream, for bodies too big for a string.</summary>
    public static Task<ProcessResult> RunStreamingAsync(IEnumerable<string> arguments, Func<Stream, Task> consumeStdout, TimeSpan? timeout = null) =>
        ProcessRunner.RunStreamingAsync(DotnetHost.Value, arguments.Prepend(AssemblyPath), consumeStdout, timeout);

    private static string LocateAssembly()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "hxi.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "hxi.runtimeconfig.json")))
        {
            return beside;
        }

        var root = RepositoryRoot();
        // Prefer the configuration this test assembly was built in (bin/<config>/<tfm>/), then any.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        var candidates = new[] { configuration, "Release", "Debug" }
            .Distinct()
            .Select(config => Path.Combine(root, "src", "Hxi.Cli", "bin", config, "net10.0", "hxi.dll"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"hxi.dll is neither beside the tests ({AppContext.BaseDirectory}) nor under src/Hxi.Cli/bin; build hxi.slnx first");
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

    /// <summary>The dotnet host that runs these tests (the SDK exports DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string LocateDotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }
        if (Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }
        return PeerBinaries.Require("dotnet");
    }
}
