namespace Hxi.Cli.Tests.Repl;

/// <summary>
/// A fact that needs tmux (a real pseudo-terminal): skipped with the reason when tmux is not on PATH,
/// except under CI=true, where it runs and fails, like the interop tests' peer attributes.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresTmuxFactAttribute : FactAttribute
{
    public RequiresTmuxFactAttribute()
    {
        var isCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (Tmux.Path is null && !isCi)
        {
            Skip = "'tmux' is not on PATH (apt-get install tmux) (skipped outside CI; with CI=true this fails)";
        }
    }
}
