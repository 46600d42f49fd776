using Hxi.Protocols.Primitives;
using static Hxi.Protocols.Messages.MessageFieldChecks;

namespace Hxi.Protocols.Messages;

/// <summary>
/// The control data of a header section (RFC 9113 8.3.1, 8.3.2, 8.5; RFC 9114 4.3.1, 4.3.2, 4.4) and its
/// content-length (RFC 9110 8.6), once the field-level checks have passed.
/// </summary>
internal static class MessageControlChecks
{
    public static MessageFinding? CheckResponse(Dictionary<string, string> pseudo)
    {
        if (!pseudo.TryGetValue(":status", out var status))
        {
            return new(MessageRule.PseudoHeaderMissing, "no :status");
        }

        if (status.Length != 3 || status[0] is < '1' or > '9' || !char.IsAsciiDigit(status[1]) || !char.IsAsciiDigit(status[2]))
        {
            return new(MessageRule.PseudoHeaderInvalid, $":status {Quote(status)} is not a three-digit status code");
        }

        if (status == "101")
        {
            return new(MessageRule.SwitchingProtocols, ":status 101 (Switching Protocols) is not allowed");
        }

        return null;
    }

    public static MessageFinding? CheckRequest(Dictionary<string, string> pseudo, IReadOnlyList<HeaderField> fields, MessageRuleBook book)
    {
        if (!pseudo.TryGetValue(":method", out var method))
        {
            return new(MessageRule.PseudoHeaderMissing, "no :method");
        }

        if (method.Length == 0 || method.Any(c => c is <= ' ' or >= (char)0x7f or '(' or ')' or ',' or '/' or ':' or ';' or '<' or '=' or '>' or '?' or '@' or '[' or '\\' or ']' or '{' or '}' or '"'))
        {
            return new(MessageRule.PseudoHeaderInvalid, $":method {Quote(method)} is not a method token");
        }

        pseudo.TryGetValue(":authority", out var authority);
        if (method == "CONNECT")
        {
            foreach (var absent in new[] { ":scheme", ":path" })
            {
                if (pseudo.ContainsKey(absent))
                {
                    return new(MessageRule.ConnectRequestInvalid, $"a CONNECT request carries {absent}");
                }
            }

            return string.IsNullOrEmpty(authority) ? new(MessageRule.ConnectRequestInvalid, "a CONNECT request without :authority") : null;
        }

        if (!pseudo.TryGetValue(":scheme", out var scheme))
        {
            return new(MessageRule.PseudoHeaderMissing, "no :scheme");
        }

        if (!pseudo.TryGetValue(":path", out var path))
        {
            return new(MessageRule.PseudoHeaderMissing, "no :path");
        }

        if (scheme.Length == 0)
        {
            return new(MessageRule.PseudoHeaderInvalid, "an empty :scheme");
        }

        var web = scheme is "http" or "https";
        if (path.Length == 0 ? web : web && path[0] != '/' && !(path == "*" && method == "OPTIONS"))
        {
            return new(MessageRule.PseudoHeaderInvalid, path.Length == 0
                ? "an empty :path"
                : $":path {Quote(path)} neither starts with '/' nor is '*' of an OPTIONS request");
        }

        return web ? CheckAuthority(authority, fields, book) : null;
    }

    /// <summary>
    /// What a promised request needs beyond any request (RFC 9113 8.4, RFC 9114 4.6): a safe and cacheable method
    /// (RFC 9110 9.2.1 and 9.2.3: of the methods RFC 9110 defines, GET and HEAD), no content, and :authority, for which
    /// the server must be authoritative. A missing :method is left to <see cref="CheckRequest"/>.
    /// </summary>
    public static MessageFinding? CheckPromise(Dictionary<string, string> pseudo, IReadOnlyList<HeaderField> fields)
    {
        if (pseudo.TryGetValue(":method", out var method) && method is not ("GET" or "HEAD"))
        {
            return new(MessageRule.PromisedRequestInvalid, $":method {Quote(method)} is not safe and cacheable (GET or HEAD)");
        }

        if (method is not null && !pseudo.ContainsKey(":authority"))
        {
            return new(MessageRule.PromisedRequestInvalid, "a promised request without :authority");
        }

        foreach (var field in fields)
        {
            if (field.Name == "content-length" && field.Value.Trim(' ', '\t') is { Length: > 0 } length && length.Any(c => c != '0')
                && length.All(char.IsAsciiDigit))
            {
                return new(MessageRule.PromisedRequestInvalid, $"a promised request announces content (content-length {length})");
            }
        }

        return null;
    }

    private static MessageFinding? CheckAuthority(string? authority, IReadOnlyList<HeaderField> fields, MessageRuleBook book)
    {
        string? host = null;
        foreach (var field in fields)
        {
            if (field.Name == "host")
            {
                host = field.Value;
                break;
            }
        }

        if (authority is null && host is null)
        {
            return book.RequiresAuthority ? new(MessageRule.AuthorityInvalid, "neither :authority nor host") : null;
        }

        if (authority is { Length: 0 } || host is { Length: 0 })
        {
            return new(MessageRule.AuthorityInvalid, authority is { Length: 0 } ? "an empty :authority" : "an empty host");
        }

        if (authority is not null && authority.Contains('@'))
        {
            return new(MessageRule.AuthorityInvalid, $":authority {Quote(authority)} carries userinfo");
        }

        if (authority is not null && host is not null && !string.Equals(authority, host, StringComparison.OrdinalIgnoreCase))
        {
            return new(MessageRule.AuthorityInvalid, $"host {Quote(host)} differs from :authority {Quote(authority)}");
        }

        return null;
    }

    /// <summary>
    /// The content-length of a header section: null if absent. Repeated equal values ("42, 42") count as one,
    /// as RFC 9110 8.6 lets a recipient do; different or non-numeric values are a finding.
    /// </summary>
    public static MessageFinding? TryReadContentLength(IReadOnlyList<HeaderField> fields, out long? length)
    {
        length = null;
        foreach (var field in fields)
        {
            if (field.Name != "content-length")
            {
                continue;
            }

            foreach (var part in field.Value.Split(','))
            {
                var text = part.Trim(' ', '\t');
                if (text.Length is 0 or > 18 || !text.All(char.IsAsciiDigit))
                {
                    return new(MessageRule.ContentLengthInvalid, $"content-length {Quote(field.Value)} is not a number of bytes");
                }

                var value = long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
                if (length is { } earlier && earlier != value)
                {
                    return new(MessageRule.ContentLengthInvalid, $"content-length has two different values, {earlier} and {value}");
                }

                length = value;
            }
        }

        return null;
    }
}
