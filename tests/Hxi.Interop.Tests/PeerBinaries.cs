namespace Hxi.Interop.Tests;

/// <summary>Finds peer programs on PATH and decides whether a missing one skips a test or fails it.</summary>
public static class PeerBinaries
{
    /// <summary>True when CI=true: there every peer must be present, so a missing one is a failure, not a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>The full path of <paramref name="name"/>, or an exception that says how to get it.</summary>
    public static string Require(string name) =>
        Find(name) ?? throw new InvalidOperationException(MissingMessage(name));

    /// <summary>A skip reason when any of <paramref name="names"/> is missing outside CI; null when the test must run.</summary>
    public static string? SkipReason(IEnumerable<string> names, bool isCi)
    {
        var missing = names.Where(name => Find(name) is null).ToList();
        if (missing.Count == 0 || isCi)
        {
            // In CI the test runs anyway and fails where it first needs the program, with a clear message.
            return null;
        }
        return string.Join("; ", missing.Select(MissingMessage)) + " (skipped outside CI; with CI=true this fails)";
    }

    public static string MissingMessage(string name) =>
        $"'{name}' is not on PATH (apt-get install {PackageOf(name)})";

    private static string PackageOf(string name) => name switch
    {
        "nghttpd" => "nghttp2-server",
        "nghttp" or "h2load" => "nghttp2-client",
        _ => name,
    };

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
