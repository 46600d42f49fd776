using System.Globalization;
using System.Text;
using Hxi.Cli.Wire;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>Prints a response in the REPL: the head unless the frame view showed it already, a text body, a closing note.</summary>
public static class ReplResponseWriter
{
    /// <summary>How much of a text body is printed; the rest is counted.</summary>
    internal const int MaxBodyChars = 4096;

    public static void Write(ReplContext context, ReplResponse response, bool headShown, bool bodyShown)
    {
        var text = new StringBuilder();
        if (!headShown)
        {
            text.Append(Head(context, response.Version, response.Status, response.Reason, response.Headers));
        }

        if (!bodyShown)
        {
            AppendBody(text, context, response.Body);
        }

        context.Out.Write(text.ToString());
        context.Note(Describe(response));
    }

    /// <summary>"HTTP/2 200", the header fields and an empty line.</summary>
    internal static string Head(ReplContext context, string version, int status, string reason, IReadOnlyList<Protocols.Primitives.HeaderField> headers)
    {
        var colours = context.Colours;
        var text = new StringBuilder();
        text.Append(colours.Bold(version)).Append(' ').Append(StatusColour(context, status)).Append(reason.Length > 0 ? " " + reason : "").Append('\n');
        foreach (var field in headers)
        {
            text.Append(colours.Cyan(field.Name)).Append(": ").Append(field.Value).Append('\n');
        }

        return text.Append('\n').ToString();
    }

    /// <summary>"stream 3: 200 OK, 42 bytes in 3.1 ms (request #2)"</summary>
    public static string Describe(ReplResponse response)
    {
        var where = response.StreamId is { } id ? $"stream {id}: " : "";
        var reason = response.Reason.Length > 0 ? " " + response.Reason : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{where}{response.Status}{reason}, {response.Body.Length} body bytes in {ReplStats.Ms(response.Duration)} (request #{response.Number} {response.Target})");
    }

    internal static void AppendBody(StringBuilder text, ReplContext context, byte[] body)
    {
        if (body.Length == 0)
        {
            return;
        }

        if (!WireRenderer.IsText(body.AsSpan(0, Math.Min(body.Length, MaxBodyChars))))
        {
            text.Append(context.Colours.Dim($"<{body.Length} bytes of binary data>")).Append('\n');
            return;
        }

        var shown = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxBodyChars));
        text.Append(shown);
        if (!shown.EndsWith('\n'))
        {
            text.Append('\n');
        }

        if (body.Length > MaxBodyChars)
        {
            text.Append(context.Colours.Dim($"... {body.Length - MaxBodyChars} more bytes")).Append('\n');
        }
    }

    private static string StatusColour(ReplContext context, int status)
    {
        var code = status.ToString(CultureInfo.InvariantCulture);
        return status switch
        {
            < 200 => context.Colours.Dim(code),
            < 300 => context.Colours.Green(code),
            < 400 => context.Colours.Yellow(code),
            _ => context.Colours.Red(code),
        };
    }
}
