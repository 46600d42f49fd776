using System.Text;

namespace Hxi.Cli.Output;

/// <summary>xxd-style lines: offset, sixteen bytes in pairs, then the printable ASCII.</summary>
public static class HexDump
{
    /// <example><c>00000000: 0000 0c04 0000 0000 0000 0300 0000 6400  ..............d.</c></example>
    public static IEnumerable<string> Lines(ReadOnlyMemory<byte> bytes)
    {
        for (var offset = 0; offset < bytes.Length; offset += 16)
        {
            yield return Line(bytes.Span.Slice(offset, Math.Min(16, bytes.Length - offset)), offset);
        }
    }

    public static string Line(ReadOnlySpan<byte> row, int offset)
    {
        var text = new StringBuilder(68);
        text.Append(offset.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append(": ");
        for (var i = 0; i < 16; i++)
        {
            text.Append(i < row.Length ? row[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture) : "  ");
            if (i % 2 == 1)
            {
                text.Append(' ');
            }
        }

        text.Append(' ');
        foreach (var b in row)
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        }

        return text.ToString();
    }
}
