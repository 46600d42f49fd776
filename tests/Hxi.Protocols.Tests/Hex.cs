namespace Hxi.Protocols.Tests;

/// <summary>Hex dumps as the RFCs print them ("8286 8441 ..."), whitespace ignored.</summary>
internal static class Hex
{
    public static byte[] Parse(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
