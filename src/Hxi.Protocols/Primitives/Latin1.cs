namespace Hxi.Protocols.Primitives;

/// <summary>Converts header strings to wire bytes one char per byte, refusing what Latin-1 cannot carry.</summary>
/// <remarks><see cref="System.Text.Encoding.Latin1"/> would silently turn such chars into '?', sending a different header.</remarks>
internal static class Latin1
{
    public static void Validate(string text, string parameterName)
    {
        foreach (char c in text)
        {
            if (c > '\u00ff')
            {
                throw new ArgumentException(
                    $"Header text \"{text}\" has U+{(int)c:X4}, which is not a Latin-1 character and cannot be sent as a byte.",
                    parameterName);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> (already validated) and returns its length.</summary>
    public static int Write(string text, Span<byte> destination)
    {
        for (int i = 0; i < text.Length; i++)
        {
            destination[i] = (byte)text[i];
        }

        return text.Length;
    }
}
