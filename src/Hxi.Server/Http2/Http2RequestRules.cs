using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hxi.Server.Http2;

/// <summary>
/// Request rules of RFC 9113 Section 8 that Kestrel (as of .NET 10) lets through to the application: field names
/// with a space, a colon, a control or non-ASCII byte (8.2.1), values with leading or trailing whitespace (8.2.1),
/// the connection-specific fields (8.2.2), and CONNECT without :authority (8.5). Such a request is malformed, and the
/// stream is reset with PROTOCOL_ERROR (8.1.1) before any route sees it.
/// </summary>
/// <remarks>Uppercase names, te other than "trailers", "connection" and NUL, CR or LF are Kestrel's own refusals already.</remarks>
internal static class Http2RequestRules
{
    private const int ProtocolError = 0x1;

    private static readonly string[] ConnectionSpecific = ["connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade"];

    public static Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Protocol == "HTTP/2" && IsMalformed(context.Request) && context.Features.Get<IHttpResetFeature>() is { } reset)
        {
            reset.Reset(ProtocolError);
            return Task.CompletedTask;
        }

        return next(context);
    }

    internal static bool IsMalformed(HttpRequest request)
    {
        if (HttpMethods.IsConnect(request.Method) && !request.Host.HasValue)
        {
            return true;
        }

        foreach (var (name, values) in request.Headers)
        {
            if (!IsValidName(name) || ConnectionSpecific.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }

            foreach (var value in values)
            {
                if (value is { Length: > 0 } && (IsWhitespace(value[0]) || IsWhitespace(value[^1]) || value.AsSpan().IndexOfAny('\0', '\r', '\n') >= 0))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// RFC 9113 8.2.1: no byte 0x00-0x20 or 0x7f-0xff, and no colon outside a pseudo-header. Uppercase is not judged
    /// here: Kestrel refuses it on the wire and hands known fields to the application in canonical case (Content-Type).
    /// </summary>
    private static bool IsValidName(string name)
    {
        foreach (var c in name)
        {
            if (c <= 0x20 || c >= 0x7f || c == ':')
            {
                return false;
            }
        }

        return name.Length > 0;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t';
}
