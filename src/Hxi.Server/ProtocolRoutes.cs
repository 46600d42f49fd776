using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hxi.Server;

/// <summary>/trailers, /bigheaders and /reset: the parts of HTTP/2 that simple clients get wrong.</summary>
internal static class ProtocolRoutes
{
    public const int BigHeaderCount = 40;
    public const int BigHeaderValueLength = 1000;

    // RST_STREAM INTERNAL_ERROR (RFC 9113 §7); over HTTP/3 RESET_STREAM H3_INTERNAL_ERROR (RFC 9114 §8.1).
    private const int InternalError = 2;
    private const int H3InternalError = 0x102;

    /// <summary>
    /// A body, then trailers x-checksum (SHA-256 of the body, hex) and grpc-status. Kestrel sends trailers
    /// over HTTP/2 and HTTP/3 only, so an HTTP/1.1 client gets the body alone.
    /// </summary>
    public static async Task TrailersAsync(HttpContext context)
    {
        var body = Encoding.UTF8.GetBytes($"this body is followed by trailers when {context.Request.Protocol} allows them\n");
        var response = context.Response;
        response.ContentType = "text/plain; charset=utf-8";
        var trailers = response.SupportsTrailers();
        if (trailers)
        {
            response.DeclareTrailer("x-checksum");
            response.DeclareTrailer("grpc-status");
        }

        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        if (trailers)
        {
            response.AppendTrailer("x-checksum", Convert.ToHexStringLower(SHA256.HashData(body)));
            response.AppendTrailer("grpc-status", "0");
        }
    }

    /// <summary>
    /// 40 headers of about 1 KB each: a header block past HTTP/2's default 16 KB frame size, so it
    /// must continue in CONTINUATION frames.
    /// </summary>
    public static Task BigHeadersAsync(HttpContext context)
    {
        for (var index = 0; index < BigHeaderCount; index++)
        {
            var name = $"x-big-{index.ToString("00", CultureInfo.InvariantCulture)}";
            // Distinct values so HPACK's dynamic table cannot shrink the block much.
            context.Response.Headers[name] = new string((char)('a' + (index % 26)), BigHeaderValueLength);
        }

        return Responses.TextAsync(context, StatusCodes.Status200OK, $"{BigHeaderCount} big headers sent\n");
    }

    /// <summary>Sends part of a body, then resets the HTTP/2 or HTTP/3 stream (INTERNAL_ERROR) or drops the HTTP/1.1 connection.</summary>
    public static async Task ResetAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.Body.WriteAsync("this body stops here, then the stream is reset\n"u8.ToArray(), context.RequestAborted)
            .ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        if (context.Features.Get<IHttpResetFeature>() is { } reset)
        {
            var http3 = context.Request.Protocol == "HTTP/3";
            context.Items[RouteTable.OutcomeKey] = http3 ? "reset H3_INTERNAL_ERROR" : "reset INTERNAL_ERROR";
            reset.Reset(http3 ? H3InternalError : InternalError);
        }
        else
        {
            context.Items[RouteTable.OutcomeKey] = "connection aborted";
            context.Abort();
        }
    }
}
