using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Hxi.Cli.Commands;

/// <summary>
/// <c>hxi --version</c>: the version and the git commit it was built from (<c>hxi 0.1.0 (commit 0123456789ab)</c>).
/// Both are fixed at build time in the assembly's informational version ("0.1.0+&lt;sha&gt;", the SDK appends
/// SourceRevisionId), so no git is needed when hxi runs.
/// </summary>
public sealed class VersionOutput : SynchronousCommandLineAction
{
    /// <summary>The version line, from this assembly's informational version.</summary>
    public static string Text { get; } = Format(typeof(VersionOutput).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>Makes the root's --version print <see cref="Text"/>.</summary>
    public static void Install(RootCommand root) => root.Options.OfType<VersionOption>().Single().Action = new VersionOutput();

    /// <summary>"0.1.0+sha" becomes "hxi 0.1.0 (commit sha12)"; a build outside git has no commit to show.</summary>
    public static string Format(string? informationalVersion)
    {
        var text = informationalVersion ?? "unknown";
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        if (plus < 0)
        {
            return $"hxi {text}";
        }

        var commit = text[(plus + 1)..];
        return $"hxi {text[..plus]} (commit {commit[..Math.Min(12, commit.Length)]})";
    }

    /// <summary>--version stands alone: the URL the root otherwise requires is not missing.</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Text);
        return 0;
    }
}
