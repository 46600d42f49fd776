using System.Text;
using Hxi.Cli.Output;
using Hxi.Cli.Wire;
using Hxi.Net.Client;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// --har for the HTTP/1.1 session, whose requests are bytes (typed or written from a short form) rather than
/// requests the client builds: the head is read back from those bytes, so the entry shows exactly what went.
/// </summary>
internal static class Http1HarEntries
{
    /// <summary>Starts the entry for the bytes about to be sent; null without --har or when they are not a whole request head.</summary>
    public static HarEntry? Begin(ReplContext context, byte[] bytes, string method, string target)
    {
        if (context.Har is not { } har)
        {
            return null;
        }

        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0 || !Uri.TryCreate(context.BaseUrl, target, out var url)
            || !Http1RequestHead.TryParse(Encoding.Latin1.GetString(bytes, 0, end + 4), out var head))
        {
            return null;
        }

        var body = bytes.Length > end + 4 ? RequestBody.FromBytes(bytes[(end + 4)..]) : null;
        var (entry, _) = har.BeginOwn(new HxiRequest(method, url, head.Headers, body), new BufferingResponseHandler());
        entry.WireHeaders = head.Headers;
        entry.RequestVersion = head.Version;
        entry.RequestHeadersSize = end + 4;
        return entry;
    }

    /// <summary>The response has ended: its head and body go into the entry, which joins the file.</summary>
    public static void Complete(ReplContext context, HarEntry? entry, ReplResponse response, ConnectionInfo connection, bool reused)
    {
        if (entry is null || context.Har is not { } har)
        {
            return;
        }

        var head = new ResponseHead(response.Version, response.Status, response.Reason, response.Headers, null);
        entry.Head = head;
        entry.AppendBody(response.Body);
        // The session reads the answer as raw text and keeps no time to first byte: the whole wait is "wait".
        har.Complete(entry, new ResponseSummary(head, response.Body.Length, response.Duration, response.Duration, connection, reused));
    }
}
