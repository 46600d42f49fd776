namespace Hxi.Cli.Tests.Completion;

/// <summary>
/// A fact that needs a shell other than bash (zsh, fish): skipped with the reason when it is not on PATH, except
/// under CI=true, where .ci/run installs it and a missing one fails the test.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresShellFactAttribute : FactAttribute
{
    public RequiresShellFactAttribute(string shell)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, shell)));
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!onPath && !ci)
        {
            Skip = $"'{shell}' is not on PATH (apt-get install {shell}; skipped outside CI, with CI=true this fails)";
        }
    }
}
