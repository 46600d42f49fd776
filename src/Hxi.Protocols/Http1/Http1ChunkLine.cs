namespace Hxi.Protocols.Http1;

/// <summary>Parses the line that starts each chunk of a chunked body (RFC 9112 Section 7.1).</summary>
/// <remarks>
/// <code>
/// chunk          = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
/// last-chunk     = 1*("0") [ chunk-ext ] CRLF
/// chunk-size     = 1*HEXDIG
/// chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
/// </code>
/// Extensions are returned raw: their meaning is per-extension and a debugger wants to show them as sent.
/// </remarks>
internal static class Http1ChunkLine
{
    public static (long Size, string? Extensions) Parse(ReadOnlySpan<byte> line)
    {
        long size = 0;
        int digits = 0;
        while (digits < line.Length && HexValue(line[digits]) is int value and >= 0)
        {
            if (size > (long.MaxValue - value) / 16)
            {
                throw new Http1ProtocolException($"chunk size '{Http1Syntax.Show(HexPrefix(line))}' is too large");
            }

            size = (size * 16) + value;
            digits++;
        }

        var rest = line[digits..];
        int extStart = 0;
        while (extStart < rest.Length && Http1Syntax.IsOws(rest[extStart]))
        {
            extStart++;
        }

        rest = rest[extStart..];
        if (digits == 0 || (!rest.IsEmpty && rest[0] != (byte)';'))
        {
            throw new Http1ProtocolException($"invalid chunk size '{Http1Syntax.Show(line)}'");
        }

        if (rest.IsEmpty)
        {
            return (size, null);
        }

        foreach (byte b in rest)
        {
            // Any CTL but HTAB is invalid in a token, quoted-string or BWS; a bare CR would break framing elsewhere.
            if (b is < 0x20 and not (byte)'\t' or 0x7F)
            {
                throw new Http1ProtocolException($"invalid character 0x{b:X2} in chunk extension '{Http1Syntax.Show(rest)}'");
            }
        }

        return (size, Http1Syntax.Latin1(rest));
    }

    private static ReadOnlySpan<byte> HexPrefix(ReadOnlySpan<byte> line)
    {
        int end = 0;
        while (end < line.Length && HexValue(line[end]) >= 0)
        {
            end++;
        }

        return line[..end];
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
