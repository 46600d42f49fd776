using System.Globalization;
using System.Text;

namespace Hxi.Net.Client;

/// <summary>One alternative service from an Alt-Svc field (RFC 7838 Section 3).</summary>
/// <param name="ProtocolId">The ALPN protocol id, percent-decoded ("h3").</param>
/// <param name="Host">The alternative's host; empty means the origin's own host.</param>
/// <param name="Port">The alternative's port.</param>
/// <param name="MaxAge">How long it may be remembered (ma, default 24 hours).</param>
/// <param name="Persist">persist=1: keep it across network changes (recorded, not acted on).</param>
public sealed record AltService(string ProtocolId, string Host, int Port, TimeSpan MaxAge, bool Persist);

/// <summary>A parsed Alt-Svc field: either "clear" (forget every alternative of the origin) or a list of alternatives.</summary>
public sealed record AltSvcField(bool Clear, IReadOnlyList<AltService> Alternatives)
{
    public static readonly AltSvcField None = new(false, []);
}

/// <summary>
/// Parses Alt-Svc field values. Input comes from any server, so it is bounded: an over-long field is ignored
/// whole, at most <see cref="MaxAlternatives"/> are kept, and a malformed alternative is skipped, not fatal.
/// </summary>
/// <remarks>
/// RFC 7838 Section 3:
/// <code>
/// Alt-Svc       = clear / 1#alt-value
/// clear         = %s"clear"; "clear", case-sensitive
/// alt-value     = alternative *( OWS ";" OWS parameter )
/// alternative   = protocol-id "=" alt-authority
/// protocol-id   = token ; percent-encoded ALPN protocol name
/// alt-authority = quoted-string ; containing [ uri-host ] ":" port
/// parameter     = token "=" ( token / quoted-string )
/// </code>
/// </remarks>
public static class AltSvcParser
{
    /// <summary>Longer fields are ignored: no real server needs more to list its alternatives.</summary>
    public const int MaxFieldLength = 4096;

    public const int MaxAlternatives = 16;

    /// <summary>The default freshness when ma is absent (Section 3.1).</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromHours(24);

    /// <summary>ma is clamped to a year: a bigger number is not more useful, and must not overflow a date.</summary>
    public static readonly TimeSpan LongestMaxAge = TimeSpan.FromDays(365);

    /// <summary>Parses every Alt-Svc field of a response as one list; any field that is "clear" clears.</summary>
    public static AltSvcField Parse(IEnumerable<string> fieldValues)
    {
        var alternatives = new List<AltService>();
        foreach (var value in fieldValues)
        {
            var field = Parse(value);
            if (field.Clear)
            {
                return field;
            }

            alternatives.AddRange(field.Alternatives.Take(MaxAlternatives - alternatives.Count));
        }

        return alternatives.Count == 0 ? AltSvcField.None : new AltSvcField(false, alternatives);
    }

    public static AltSvcField Parse(string value)
    {
        if (value.Length > MaxFieldLength)
        {
            return AltSvcField.None;
        }

        if (value.AsSpan().Trim(" \t") is "clear")
        {
            return new AltSvcField(true, []);
        }

        var alternatives = new List<AltService>();
        var reader = new Reader(value);
        while (alternatives.Count < MaxAlternatives)
        {
            // The #rule allows empty list elements: ", , h3=..." is legal.
            reader.SkipWhitespaceAndCommas();
            if (reader.AtEnd)
            {
                break;
            }

            if (!TryReadAlternative(ref reader, out var alternative))
            {
                // The structure is broken: nothing after this point can be trusted to line up.
                break;
            }

            if (alternative is not null)
            {
                alternatives.Add(alternative);
            }
        }

        return alternatives.Count == 0 ? AltSvcField.None : new AltSvcField(false, alternatives);
    }

    /// <summary>False when the syntax is broken; true with a null alternative when it is well-formed but unusable.</summary>
    private static bool TryReadAlternative(ref Reader reader, out AltService? alternative)
    {
        alternative = null;
        var protocolId = reader.ReadToken();
        if (protocolId.Length == 0 || !reader.TryConsume('=') || !reader.TryReadQuotedString(out var authority))
        {
            return false;
        }

        var maxAge = DefaultMaxAge;
        var persist = false;
        while (true)
        {
            reader.SkipWhitespace();
            if (!reader.TryConsume(';'))
            {
                break;
            }

            reader.SkipWhitespace();
            var name = reader.ReadToken();
            if (name.Length == 0 || !reader.TryConsume('='))
            {
                return false;
            }

            string? parameter = reader.Peek() == '"' ? reader.TryReadQuotedString(out var quoted) ? quoted : null : reader.ReadToken();
            if (string.IsNullOrEmpty(parameter))
            {
                return false;
            }

            if (name.Equals("ma", StringComparison.OrdinalIgnoreCase))
            {
                maxAge = ParseMaxAge(parameter) ?? maxAge;
            }
            else if (name.Equals("persist", StringComparison.OrdinalIgnoreCase))
            {
                persist = parameter == "1";
            }
        }

        reader.SkipWhitespace();
        if (!reader.AtEnd && reader.Peek() != ',')
        {
            return false;
        }

        if (TryDecodeProtocolId(protocolId, out var protocol) && TrySplitAuthority(authority, out var host, out var port))
        {
            alternative = new AltService(protocol, host, port, maxAge, persist);
        }

        return true;
    }

    /// <summary>delta-seconds: digits only; a value past a year (or past long) is a year.</summary>
    private static TimeSpan? ParseMaxAge(string text)
    {
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            return null;
        }

        return text.Length <= 9 && long.Parse(text, CultureInfo.InvariantCulture) is var seconds && seconds < LongestMaxAge.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : LongestMaxAge;
    }

    /// <summary>protocol-id is a token with %XX escapes for octets a token can't hold (Section 3).</summary>
    private static bool TryDecodeProtocolId(string token, out string protocol)
    {
        protocol = "";
        var bytes = new List<byte>(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] != '%')
            {
                bytes.Add((byte)token[i]);
                continue;
            }

            if (i + 2 >= token.Length || !byte.TryParse(token.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var octet))
            {
                return false;
            }

            bytes.Add(octet);
            i += 2;
        }

        protocol = Encoding.UTF8.GetString([.. bytes]);
        return true;
    }

    /// <summary>[ uri-host ] ":" port, where uri-host may be an IPv6 literal in brackets.</summary>
    private static bool TrySplitAuthority(string authority, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = authority.LastIndexOf(':');
        if (colon < 0 || colon > 255)
        {
            return false;
        }

        var portText = authority.AsSpan(colon + 1);
        if (portText.Length is 0 or > 5 || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is 0 or > 65535)
        {
            return false;
        }

        host = authority[..colon];
        if (host.StartsWith('['))
        {
            return host.EndsWith(']') && System.Net.IPAddress.TryParse(host[1..^1], out _);
        }

        // A host may not smuggle separators that would mean something else in a URL or the cache file.
        return host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
    }

    /// <summary>A cursor over the field value with the few HTTP lexical rules Alt-Svc needs (RFC 9110 Section 5.6).</summary>
    private ref struct Reader(string text)
    {
        private int _position;

        public readonly bool AtEnd => _position >= text.Length;

        public readonly char Peek() => AtEnd ? '\0' : text[_position];

        public bool TryConsume(char expected)
        {
            if (Peek() != expected || AtEnd)
            {
                return false;
            }

            _position++;
            return true;
        }

        public void SkipWhitespace()
        {
            while (!AtEnd && text[_position] is ' ' or '\t')
            {
                _position++;
            }
        }

        public void SkipWhitespaceAndCommas()
        {
            while (!AtEnd && text[_position] is ' ' or '\t' or ',')
            {
                _position++;
            }
        }

        public string ReadToken()
        {
            var start = _position;
            while (!AtEnd && IsTokenChar(text[_position]))
            {
                _position++;
            }

            return text[start.._position];
        }

        /// <summary>quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE; returns the unescaped content.</summary>
        public bool TryReadQuotedString(out string value)
        {
            value = "";
            if (!TryConsume('"'))
            {
                return false;
            }

            var content = new StringBuilder();
            while (!AtEnd)
            {
                var c = text[_position++];
                if (c == '"')
                {
                    value = content.ToString();
                    return true;
                }

                if (c == '\\')
                {
                    if (AtEnd)
                    {
                        return false;
                    }

                    c = text[_position++];
                }

                if (c < 0x20 && c != '\t' || c == 0x7f)
                {
                    return false;
                }

                content.Append(c);
            }

            return false;
        }

        private static bool IsTokenChar(char c) =>
            char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
    }
}
