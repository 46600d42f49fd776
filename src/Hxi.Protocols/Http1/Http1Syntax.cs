using System.Buffers;
using System.Text;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http1;

/// <summary>Character classes of RFC 9110 Section 5.6 and helpers shared by the writer and the parser.</summary>
internal static class Http1Syntax
{
    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private const string TokenCharacters =
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static readonly SearchValues<byte> TokenBytes = SearchValues.Create(Encoding.ASCII.GetBytes(TokenCharacters));

    public static readonly SearchValues<char> TokenChars = SearchValues.Create(TokenCharacters);

    private const int ShownLength = 64;

    public static bool IsOws(byte b) => b is (byte)' ' or (byte)'\t';

    public static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    public static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> bytes)
    {
        int start = 0;
        while (start < bytes.Length && IsOws(bytes[start]))
        {
            start++;
        }

        int end = bytes.Length;
        while (end > start && IsOws(bytes[end - 1]))
        {
            end--;
        }

        return bytes[start..end];
    }

    public static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>Renders received bytes for an error message: printable, escaped, cut short.</summary>
    public static string Show(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes.Length > ShownLength ? bytes[..ShownLength] : bytes)
        {
            if (b is >= 0x20 and < 0x7F)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append($"\\x{b:X2}");
            }
        }

        if (bytes.Length > ShownLength)
        {
            text.Append("...");
        }

        return text.ToString();
    }

    public static string Show(string latin1) => Show(Encoding.Latin1.GetBytes(latin1));

    /// <summary>The elements of a comma-separated list field (RFC 9110 5.6.1), or null when the field is absent.</summary>
    /// <remarks>Empty elements are skipped, as recipients must accept them.</remarks>
    public static List<string>? ListElements(IReadOnlyList<HeaderField> fields, string name)
    {
        List<string>? elements = null;
        foreach (var field in fields)
        {
            if (!field.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            elements ??= [];
            foreach (var element in field.Value.Split(','))
            {
                var trimmed = element.Trim(' ', '\t');
                if (trimmed.Length > 0)
                {
                    elements.Add(trimmed);
                }
            }
        }

        return elements;
    }
}
