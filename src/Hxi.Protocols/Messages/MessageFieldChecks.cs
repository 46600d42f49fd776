using System.Globalization;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Messages;

/// <summary>
/// The field rules of a header or trailer section, common to HTTP/2 (RFC 9113 8.2, 8.3) and HTTP/3
/// (RFC 9114 4.2, 4.3): pseudo-header fields, name and value characters, connection-specific fields.
/// </summary>
internal static class MessageFieldChecks
{
    private static readonly string[] RequestPseudoHeaders = [":method", ":scheme", ":authority", ":path"];

    private static readonly string[] ConnectionSpecific = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

    /// <summary>The first rule the section breaks, or null; <paramref name="pseudo"/> collects its pseudo-header values.</summary>
    public static MessageFinding? Check(IReadOnlyList<HeaderField> fields, MessageKind kind, bool trailers, Dictionary<string, string> pseudo)
    {
        string? firstRegular = null;
        foreach (var field in fields)
        {
            if (field.IsPseudo)
            {
                if (CheckPseudoHeader(field, kind, trailers, firstRegular, pseudo) is { } pseudoFinding)
                {
                    return pseudoFinding;
                }
            }
            else
            {
                firstRegular ??= field.Name;
                if (CheckName(field.Name) is { } nameFinding)
                {
                    return nameFinding;
                }

                if (CheckConnectionSpecific(field) is { } connectionFinding)
                {
                    return connectionFinding;
                }
            }

            if (CheckValue(field) is { } valueFinding)
            {
                return valueFinding;
            }
        }

        return null;
    }

    private static MessageFinding? CheckPseudoHeader(HeaderField field, MessageKind kind, bool trailers, string? firstRegular, Dictionary<string, string> pseudo)
    {
        var name = field.Name;
        if (trailers)
        {
            return new(MessageRule.PseudoHeaderInTrailers, $"the trailers carry pseudo-header field {Quote(name)}");
        }

        if (firstRegular is not null)
        {
            return new(MessageRule.PseudoHeaderAfterRegularField, $"pseudo-header field {Quote(name)} after regular field {Quote(firstRegular)}");
        }

        var isRequestField = RequestPseudoHeaders.Contains(name);
        var isResponseField = name == ":status";
        if (kind == MessageKind.Request ? !isRequestField : !isResponseField)
        {
            var why = (isRequestField, isResponseField) switch
            {
                (true, _) => "a request pseudo-header field in a response",
                (_, true) => "a response pseudo-header field in a request",
                _ => "not a defined pseudo-header field",
            };
            return new(MessageRule.PseudoHeaderUndefined, $"{Quote(name)} is {why}");
        }

        if (!pseudo.TryAdd(name, field.Value))
        {
            return new(MessageRule.PseudoHeaderRepeated, $"pseudo-header field {Quote(name)} appears more than once");
        }

        return null;
    }

    private static MessageFinding? CheckName(string name)
    {
        if (name.Length == 0)
        {
            return new(MessageRule.FieldNameInvalid, "a field has an empty name");
        }

        foreach (var c in name)
        {
            if (c is >= 'A' and <= 'Z')
            {
                return new(MessageRule.FieldNameUppercase, $"field name {Quote(name)} has upper-case letters");
            }

            if (!IsTokenCharacter(c))
            {
                return new(MessageRule.FieldNameInvalid, $"field name {Quote(name)} holds {Describe(c)}, which a field name may not");
            }
        }

        return null;
    }

    private static MessageFinding? CheckConnectionSpecific(HeaderField field)
    {
        if (ConnectionSpecific.Contains(field.Name))
        {
            return new(MessageRule.ConnectionSpecificField, $"connection-specific field {Quote(field.Name)}");
        }

        if (field.Name == "te" && !string.Equals(field.Value, "trailers", StringComparison.OrdinalIgnoreCase))
        {
            return new(MessageRule.TeNotTrailers, $"te is {Quote(field.Value)}, and only \"trailers\" is allowed");
        }

        return null;
    }

    private static MessageFinding? CheckValue(HeaderField field)
    {
        var value = field.Value;
        foreach (var c in value)
        {
            if (c is '\0' or '\r' or '\n')
            {
                return new(MessageRule.FieldValueInvalid, $"the value of {Quote(field.Name)} holds {Describe(c)}");
            }
        }

        if (value.Length > 0 && (IsWhitespace(value[0]) || IsWhitespace(value[^1])))
        {
            var where = IsWhitespace(value[0]) ? "starts" : "ends";
            return new(MessageRule.FieldValueInvalid, $"the value of {Quote(field.Name)} {where} with whitespace");
        }

        return null;
    }

    /// <summary>RFC 9110 5.6.2 tchar: letters, digits and !#$%&amp;'*+-.^_`|~.</summary>
    private static bool IsTokenCharacter(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static bool IsWhitespace(char c) => c is ' ' or '\t';

    /// <summary>A character as a person can read it in one line: "CR (0x0d)", "':' (0x3a)".</summary>
    internal static string Describe(char c) => c switch
    {
        '\0' => "NUL (0x00)",
        '\r' => "CR (0x0d)",
        '\n' => "LF (0x0a)",
        '\t' => "HTAB (0x09)",
        ' ' => "a space (0x20)",
        _ when c < 0x20 || c >= 0x7f => $"byte 0x{(int)c:x2}",
        _ => $"'{c}' (0x{(int)c:x2})",
    };

    /// <summary>A name or value in quotes, with control bytes escaped so the line stays one line.</summary>
    internal static string Quote(string text)
    {
        var shown = text.Length > 60 ? text[..60] + "..." : text;
        var builder = new System.Text.StringBuilder(shown.Length + 2).Append('\'');
        foreach (var c in shown)
        {
            if (c < 0x20 || c == 0x7f)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('\'').ToString();
    }
}
