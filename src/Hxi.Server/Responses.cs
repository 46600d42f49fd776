using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hxi.Server;

/// <summary>Small complete responses: built in memory so they carry a Content-Length.</summary>
internal static class Responses
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static Task TextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return BytesAsync(context, Encoding.UTF8.GetBytes(text));
    }

    public static Task JsonAsync(HttpContext context, Action<Utf8JsonWriter> writeObject)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartObject();
            writeObject(writer);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        context.Response.ContentType = "application/json";
        return BytesAsync(context, buffer.WrittenMemory);
    }

    public static Task BytesAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>Parses a path argument such as the 418 in /status/418; digits only, no sign or spaces.</summary>
    public static bool TryParseArgument(string argument, long max, out long value) =>
        long.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;

    public static Task BadArgumentAsync(HttpContext context, string route, long max) =>
        TextAsync(context, StatusCodes.Status400BadRequest, $"/{route}/N takes a whole number N from 0 to {max}\n");
}
