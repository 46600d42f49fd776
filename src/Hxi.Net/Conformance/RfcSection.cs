using System.Globalization;

namespace Hxi.Net.Conformance;

/// <summary>A section of an RFC, written <c>9113/6.5.3</c> on the command line and "RFC 9113 6.5.3" in reports.</summary>
public readonly record struct RfcSection(int Rfc, string Number)
{
    public override string ToString() => $"{Rfc.ToString(CultureInfo.InvariantCulture)}/{Number}";

    /// <summary>The top two levels (6.5 for 6.5.3): the granularity of the summary.</summary>
    public string Chapter
    {
        get
        {
            var parts = Number.Split('.');
            return parts.Length <= 2 ? Number : $"{parts[0]}.{parts[1]}";
        }
    }

    /// <summary>True when this section is <paramref name="prefix"/> or one of its subsections (6.5 matches 6.5 and 6.5.2, not 6.50).</summary>
    public bool IsWithin(RfcSection prefix) =>
        Rfc == prefix.Rfc && (prefix.Number.Length == 0 || Number == prefix.Number || Number.StartsWith(prefix.Number + ".", StringComparison.Ordinal));

    /// <summary>Parses <c>9113/6.5</c>, <c>9113</c> (the whole RFC) or <c>RFC9113/6.5</c>.</summary>
    public static bool TryParse(string text, out RfcSection section)
    {
        section = default;
        var trimmed = text.Trim();
        if (trimmed.StartsWith("rfc", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[3..];
        }

        var slash = trimmed.IndexOf('/');
        var rfcText = slash < 0 ? trimmed : trimmed[..slash];
        var number = slash < 0 ? "" : trimmed[(slash + 1)..].TrimEnd('.');
        if (!int.TryParse(rfcText, NumberStyles.None, CultureInfo.InvariantCulture, out var rfc) || rfc <= 0)
        {
            return false;
        }

        foreach (var part in number.Length == 0 ? [] : number.Split('.'))
        {
            if (part.Length == 0 || !part.All(char.IsAsciiDigit))
            {
                return false;
            }
        }

        section = new RfcSection(rfc, number);
        return true;
    }
}
