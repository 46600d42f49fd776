using System.Text;
using Hxi.Cli.Repl.Parsing;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// The guided mode of the original interactive HTTP clients: it asks for the URL, method and headers,
/// then describes the answer field by field and offers the body.
/// </summary>
public static class GuidedMode
{
    public static async Task RunAsync(IReplSession session, ReplContext context, CancellationToken ct)
    {
        var target = await AskAsync(context, "URL or path [/]: ", ct);
        target = target.Length == 0 ? "/" : target;
        if (Uri.TryCreate(target, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            if (!string.Equals(url.Authority, context.BaseUrl.Authority, StringComparison.OrdinalIgnoreCase))
            {
                throw new ReplCommandException($"guided mode sends on this connection to {context.BaseUrl.Authority}, not {url.Authority}");
            }

            target = url.PathAndQuery;
        }

        ReplParser.CheckTarget(target);
        var method = await AskAsync(context, "Method [GET]: ", ct);
        method = method.Length == 0 ? "GET" : method.ToUpperInvariant();
        var headers = new List<HeaderField>();
        while (await AskAsync(context, "Header (Name: value, empty line ends): ", ct) is { Length: > 0 } line)
        {
            headers.Add(ReplValues.HeaderLine(line));
        }

        var response = await session.SendAsync(new ReplRequest(method, target, headers, null), ct);
        var colours = context.Colours;
        var text = new StringBuilder();
        text.Append($"  version         {response.Version}\n");
        text.Append($"  status          {response.Status}{(response.Reason.Length > 0 ? " " + response.Reason : "")}\n");
        text.Append($"  headers         {response.Headers.Count}\n");
        foreach (var field in response.Headers)
        {
            text.Append("                  ").Append(colours.Cyan(field.Name)).Append(": ").Append(field.Value).Append('\n');
        }

        text.Append($"  content length  {response.Body.Length} bytes\n");
        text.Append($"  request number  {response.Number}\n");
        text.Append($"  duration        {ReplStats.Ms(response.Duration)}\n");
        text.Append($"  stream          {(response.StreamId is { } id ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none (HTTP/1.1)")}\n");
        context.Out.Write(text.ToString());
        if (response.Body.Length == 0)
        {
            return;
        }

        var answer = await AskAsync(context, "Show the text body? [y/N]: ", ct);
        if (answer.StartsWith('y') || answer.StartsWith('Y'))
        {
            var body = new StringBuilder();
            ReplResponseWriter.AppendBody(body, context, response.Body);
            context.Out.Write(body.ToString());
        }
    }

    private static async Task<string> AskAsync(ReplContext context, string question, CancellationToken ct) =>
        (await context.AskAsync(question, ct))?.Trim()
        ?? throw new ReplCommandException("guided mode: the input ended before the request was complete");
}
