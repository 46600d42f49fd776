using System.Text;
using System.Text.Json;

namespace Hxi.Cli.Output;

/// <summary>Indents JSON and colours keys, strings, numbers and literals, token by token (no reflection).</summary>
public static class JsonPrettyPrinter
{
    /// <summary>The formatted text, or null when the bytes are not valid JSON (then they are shown as they came).</summary>
    public static string? TryFormat(ReadOnlySpan<byte> json, Palette colours)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        var text = new StringBuilder(json.Length * 2);
        var depth = 0;
        var needsComma = false;
        var afterProperty = false;
        try
        {
            while (reader.Read())
            {
                var token = reader.TokenType;
                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    depth--;
                    if (needsComma)
                    {
                        NewLine(text, depth);
                    }

                    text.Append(token == JsonTokenType.EndObject ? '}' : ']');
                    needsComma = true;
                    continue;
                }

                if (!afterProperty)
                {
                    if (needsComma)
                    {
                        text.Append(',');
                    }

                    if (depth > 0)
                    {
                        NewLine(text, depth);
                    }
                }

                afterProperty = false;
                switch (token)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        text.Append(token == JsonTokenType.StartObject ? '{' : '[');
                        depth++;
                        needsComma = false;
                        continue;
                    case JsonTokenType.PropertyName:
                        text.Append(colours.Blue(Quote(reader.GetString()!))).Append(": ");
                        afterProperty = true;
                        needsComma = false;
                        continue;
                    case JsonTokenType.String:
                        text.Append(colours.Green(Quote(reader.GetString()!)));
                        break;
                    case JsonTokenType.Number:
                        text.Append(colours.Yellow(Encoding.UTF8.GetString(reader.ValueSpan)));
                        break;
                    case JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                        text.Append(colours.Magenta(Encoding.UTF8.GetString(reader.ValueSpan)));
                        break;
                }

                needsComma = true;
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return depth == 0 ? text.ToString() : null;
    }

    private static void NewLine(StringBuilder text, int depth) => text.Append('\n').Append(' ', depth * 4);

    /// <summary>
    /// Escapes only what JSON requires (quote, backslash, control characters). System.Text.Json's encoders would
    /// also turn '"' into \u0022 and "é" or an emoji into \u escapes: safe for HTML, unreadable on a terminal.
    /// </summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case < ' ':
                    text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
