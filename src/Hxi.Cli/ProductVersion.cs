using System.Reflection;

namespace Hxi.Cli;

/// <summary>hxi's version as the build stamped it, and the User-Agent it sends by default.</summary>
public static class ProductVersion
{
    /// <summary>The version without build metadata (the `+commit` suffix): `0.1.0`.</summary>
    public static string Number { get; } = ReadNumber();

    /// <summary>`hxi/0.1.0`, sent as User-Agent unless the user gives or removes one.</summary>
    public static string UserAgent => "hxi/" + Number;

    private static string ReadNumber()
    {
        var informational = typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return "0.0.0";
        }

        var plus = informational.IndexOf('+');
        return plus < 0 ? informational : informational[..plus];
    }
}
