using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hxi.Server;

/// <summary>/bytes/N, /stream/N and the compressed bodies: response bodies with a particular shape.</summary>
internal static class BodyRoutes
{
    private const long MaxBytes = 1L << 30;
    private const int MaxStreamLines = 10_000;
    private const int WriteSize = 64 * 1024;

    private static readonly string CompressibleText = string.Concat(Enumerable.Repeat(
        "hxi serve sends this line many times so that compression has something to chew on.\n", 50));

    /// <summary>N bytes of <see cref="DeterministicBytes"/> seeded with N, in 64 KiB writes.</summary>
    public static async Task BytesAsync(HttpContext context, string argument)
    {
        if (!Responses.TryParseArgument(argument, MaxBytes, out var length))
        {
            await Responses.BadArgumentAsync(context, "bytes", MaxBytes).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.ContentType = "application/octet-stream";
        response.ContentLength = length;
        var generator = new DeterministicBytes((ulong)length);
        var buffer = new byte[(int)Math.Min(length, WriteSize)];
        for (var remaining = length; remaining > 0;)
        {
            var chunk = buffer.AsMemory(0, (int)Math.Min(remaining, buffer.Length));
            generator.Fill(chunk.Span);
            await response.Body.WriteAsync(chunk, context.RequestAborted).ConfigureAwait(false);
            remaining -= chunk.Length;
        }
    }

    /// <summary>N JSON lines, each flushed on its own so it leaves as its own DATA frame or chunk.</summary>
    public static async Task StreamAsync(HttpContext context, string argument)
    {
        if (!Responses.TryParseArgument(argument, MaxStreamLines, out var count))
        {
            await Responses.BadArgumentAsync(context, "stream", MaxStreamLines).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/x-ndjson";
        var writer = context.Response.BodyWriter;
        for (var id = 0; id < count; id++)
        {
            using (var json = new Utf8JsonWriter(writer))
            {
                json.WriteStartObject();
                json.WriteNumber("id", id);
                json.WriteString("proto", context.Request.Protocol);
                json.WriteString("message", "hello");
                json.WriteEndObject();
            }

            writer.Write("\n"u8);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The same text compressed with the coding the route is named after, whatever Accept-Encoding says.</summary>
    public static Task CompressedAsync(HttpContext context, string route)
    {
        var (coding, compress) = route switch
        {
            "gzip" => ("gzip", (Func<Stream, Stream>)(output => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))),
            "brotli" => ("br", output => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true)),
            // RFC 9110 §8.4.1.2: the "deflate" coding is the zlib format, not raw deflate.
            _ => ("deflate", output => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true)),
        };

        using var compressed = new MemoryStream();
        using (var stream = compress(compressed))
        {
            stream.Write(Encoding.UTF8.GetBytes(
                $"compressed with {coding} over {context.Request.Protocol}\n{CompressibleText}"));
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.ContentEncoding = coding;
        return Responses.BytesAsync(context, compressed.GetBuffer().AsMemory(0, (int)compressed.Length));
    }
}
