using System.Reflection;

namespace Hxi.Cli;

/// <summary>hxi's version as the build stamped it ("0.1.0+&lt;sha&gt;": the SDK appends SourceRevisionId), and the User-Agent it sends.</summary>
public static class ProductVersion
{
    private static readonly (string Number, string? Commit) Stamped =
        Split(typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>The version without build metadata: `0.1.0`.</summary>
    public static string Number => Stamped.Number;

    /// <summary>The commit hxi was built from, or null for a build outside git.</summary>
    public static string? Commit => Stamped.Commit;

    /// <summary>`hxi/0.1.0`, sent as User-Agent unless the user gives or removes one.</summary>
    public static string UserAgent => "hxi/" + Number;

    /// <summary>"0.1.0+sha" is ("0.1.0", "sha"); a version without '+' has no commit.</summary>
    public static (string Number, string? Commit) Split(string? informationalVersion)
    {
        var text = string.IsNullOrEmpty(informationalVersion) ? "unknown" : informationalVersion;
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (text, null) : (text[..plus], text[(plus + 1)..]);
    }
}
