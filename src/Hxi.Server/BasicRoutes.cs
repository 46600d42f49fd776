using Microsoft.AspNetCore.Http;

namespace Hxi.Server;

/// <summary>/, /json, /headers and /echo: what a request looked like when it arrived.</summary>
internal static class BasicRoutes
{
    public static Task GreetingAsync(HttpContext context) =>
        Responses.TextAsync(context, StatusCodes.Status200OK, $"hello from hxi serve over {context.Request.Protocol}\n");

    public static Task JsonAsync(HttpContext context)
    {
        var request = context.Request;
        return Responses.JsonAsync(context, json =>
        {
            json.WriteString("proto", request.Protocol);
            json.WriteString("method", request.Method);
            json.WriteString("path", request.Path.Value + request.QueryString.Value);
            json.WriteString("message", "hello");
        });
    }

    /// <summary>
    /// The request line (or HTTP/2 pseudo-headers) as fields, then the header fields in a nested object,
    /// so a header that happens to be called "method" cannot collide with the real method.
    /// </summary>
    public static Task HeadersAsync(HttpContext context)
    {
        var request = context.Request;
        return Responses.JsonAsync(context, json =>
        {
            json.WriteString("method", request.Method);
            json.WriteString("scheme", request.Scheme);
            json.WriteString("authority", request.Host.Value);
            json.WriteString("path", request.Path.Value + request.QueryString.Value);
            json.WriteString("protocol", request.Protocol);
            json.WriteStartObject("headers");
            foreach (var (name, values) in request.Headers)
            {
                json.WriteString(name, values.ToString());
            }

            json.WriteEndObject();
        });
    }

    /// <summary>Copies the request body to the response as it arrives, never holding all of it.</summary>
    public static async Task EchoAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.ContentType = request.ContentType ?? "application/octet-stream";
        if (request.ContentLength is { } length)
        {
            response.ContentLength = length;
        }

        // Headers go out before the first body byte, so a full-duplex HTTP/2 client sees them promptly.
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await request.BodyReader.CopyToAsync(response.BodyWriter, context.RequestAborted).ConfigureAwait(false);
    }
}
