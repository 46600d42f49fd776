using System.Globalization;

namespace Hxi.Protocols.Primitives;

/// <summary>Parses numbers the way people type them at a prompt: decimal or 0x-prefixed hex.</summary>
public static class NumberText
{
    public static bool TryParseUInt32(string text, out uint value)
    {
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
