using Hxi.Cli.Repl.Parsing;
using Hxi.Net.Client;
using Hxi.Net.Http2;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// A request typed as HTTP/1.1 text, mapped to the HEADERS (+DATA) that HTTP/2 and HTTP/3 send alike; the
/// mapping is shown first, with what was dropped and why.
/// </summary>
internal static class TypedRequestMapping
{
    /// <param name="protocol">"HTTP/2" or "HTTP/3", for the notes.</param>
    /// <param name="connectionHeadersRule">The section that forbids connection-specific headers, e.g. "RFC 9113 8.2.2".</param>
    public static ReplRequest Show(ReplContext context, TypedRequest typed, string scheme, string protocol, string connectionHeadersRule)
    {
        var body = typed.Body.Length > 0 ? typed.Body : null;
        var url = new Uri(context.BaseUrl, typed.Target);
        var (fields, dropped) = Http2RequestMapper.Map(
            new HxiRequest(typed.Method, url, typed.Headers, body is null ? null : RequestBody.FromBytes(body)), scheme);
        context.Note($"{typed.Method} {typed.Target} {typed.Version} mapped to {protocol} HEADERS{(body is null ? "" : " + DATA")}:");
        foreach (var field in fields)
        {
            context.Out.WriteLine($"      {context.Colours.Bold(field.Name)}: {field.Value}");
        }

        if (dropped.Count > 0)
        {
            context.Note($"dropped connection-specific header(s): {string.Join(", ", dropped)} ({connectionHeadersRule}; Host becomes :authority)");
        }

        if (typed.Version != "HTTP/1.1")
        {
            context.Note($"{typed.Version} in the request line has no {protocol} counterpart and is not sent");
        }

        return new ReplRequest(typed.Method, typed.Target, typed.Headers, body);
    }
}
