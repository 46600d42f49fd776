using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Output;

/// <summary>
/// Writes HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) as browser devtools do, field by field with
/// <see cref="Utf8JsonWriter"/> so Native AOT needs no reflection.
/// </summary>
public static class HarWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Write(Stream output, IReadOnlyList<HarEntry> entries, string version)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteStartObject("log");
        json.WriteString("version", "1.2");
        json.WriteStartObject("creator");
        json.WriteString("name", "hxi");
        json.WriteString("version", version);
        json.WriteEndObject();
        json.WriteStartArray("entries");
        foreach (var entry in entries)
        {
            WriteEntry(json, entry);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
    }

    private static void WriteEntry(Utf8JsonWriter json, HarEntry entry)
    {
        var summary = entry.Summary!;
        var timings = HarTimings.From(entry, summary);
        json.WriteStartObject();
        json.WriteString("startedDateTime", entry.StartedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
        json.WriteNumber("time", timings.Total);
        WriteRequest(json, entry, summary);
        WriteResponse(json, entry, summary);
        json.WriteStartObject("cache");
        json.WriteEndObject();
        timings.Write(json);
        if (summary.Connection.RemoteEndPoint is IPEndPoint remote)
        {
            json.WriteString("serverIPAddress", remote.Address.ToString());
        }

        // The spec suggests the client port as the connection's id: the same for every request a connection carries.
        if (summary.Connection.LocalEndPoint is IPEndPoint local)
        {
            json.WriteString("connection", local.Port.ToString(CultureInfo.InvariantCulture));
        }

        json.WriteEndObject();
    }

    private static void WriteRequest(Utf8JsonWriter json, HarEntry entry, ResponseSummary summary)
    {
        var request = entry.Request;
        var headers = entry.WireHeaders ?? request.Headers;
        json.WriteStartObject("request");
        json.WriteString("method", request.Method);
        json.WriteString("url", request.Url.AbsoluteUri);
        json.WriteString("httpVersion", entry.RequestVersion ?? HttpVersion(summary.Head.Protocol));
        WriteHeaders(json, "headers", headers);
        json.WriteStartArray("queryString");
        foreach (var (name, value) in QueryParameters(request.Url))
        {
            WriteNameValue(json, name, value);
        }

        json.WriteEndArray();
        json.WriteStartArray("cookies");
        json.WriteEndArray();
        json.WriteNumber("headersSize", entry.RequestHeadersSize);
        json.WriteNumber("bodySize", request.Body?.Length ?? 0);
        if (request.Body is { } body)
        {
            json.WriteStartObject("postData");
            json.WriteString("mimeType", Find(headers, "content-type") ?? "");
            json.WriteStartArray("params");
            json.WriteEndArray();
            if (body.Length is { } length && length <= HarEntry.MaxKeptBodyBytes)
            {
                using var stream = body.Open();
                var bytes = new byte[length];
                stream.ReadExactly(bytes);
                // HAR 1.2 has no encoding for posted data: a binary body is left out and said so.
                if (TryText(bytes, out var text))
                {
                    json.WriteString("text", text);
                }
                else
                {
                    json.WriteString("text", "");
                    json.WriteString("comment", $"{length} bytes of binary data, not shown");
                }
            }
            else
            {
                json.WriteString("text", "");
                json.WriteString("comment", "the body is larger than 1 MiB and is not kept");
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteResponse(Utf8JsonWriter json, HarEntry entry, ResponseSummary summary)
    {
        var head = entry.Head!;
        json.WriteStartObject("response");
        json.WriteNumber("status", head.StatusCode);
        json.WriteString("statusText", head.Reason);
        json.WriteString("httpVersion", HttpVersion(head.Protocol));
        WriteHeaders(json, "headers", head.Headers);
        if (entry.Trailers.Count > 0)
        {
            // HAR has no place for trailers; a custom field (leading underscore, as the spec allows) keeps them apart.
            WriteHeaders(json, "_trailers", entry.Trailers);
        }

        json.WriteStartArray("cookies");
        json.WriteEndArray();
        WriteContent(json, entry, head);
        json.WriteString("redirectURL", head.StatusCode is >= 300 and < 400 ? head["location"] ?? "" : "");
        json.WriteNumber("headersSize", entry.ResponseHeadersSize);
        json.WriteNumber("bodySize", summary.BodyBytes);
        json.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter json, HarEntry entry, ResponseHead head)
    {
        var received = entry.Body;
        var encoding = head["content-encoding"];
        var decoded = received is not null && encoding is not null && ContentDecoder.CanDecode(encoding) ? Decode(encoding, received) : received;
        json.WriteStartObject("content");
        json.WriteNumber("size", decoded?.Length ?? entry.BodyBytesSeen);
        if (decoded is not null && received is not null && decoded.Length != received.Length)
        {
            json.WriteNumber("compression", decoded.Length - received.Length);
        }

        json.WriteString("mimeType", head["content-type"] ?? "");
        if (decoded is null)
        {
            json.WriteString("comment", entry.BodyBytesSeen > HarEntry.MaxKeptBodyBytes
                ? "the body is larger than 1 MiB and is not kept"
                : $"the body could not be decoded from Content-Encoding {encoding}");
        }
        else if (decoded.Length > 0)
        {
            // Text as text; anything else as base64, which HAR 1.2 allows with "encoding".
            if (TryText(decoded, out var text))
            {
                json.WriteString("text", text);
            }
            else
            {
                json.WriteString("text", Convert.ToBase64String(decoded));
                json.WriteString("encoding", "base64");
            }
        }

        json.WriteEndObject();
    }

    private static byte[]? Decode(string encoding, byte[] body)
    {
        try
        {
            using var decoder = ContentDecoder.Open(encoding, new MemoryStream(body));
            using var plain = new MemoryStream();
            decoder.CopyTo(plain);
            return plain.ToArray();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return null;
        }
    }

    private static bool TryText(byte[] bytes, out string text)
    {
        text = "";
        if (!WireRenderer.IsText(bytes))
        {
            return false;
        }

        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>The names browser devtools write: HTTP/1.1 as received (a server may answer HTTP/1.0), HTTP/2, HTTP/3.</summary>
    internal static string HttpVersion(string protocol) => protocol switch
    {
        "HTTP/2" or "HTTP/2.0" or "h2" or "h2c" => "HTTP/2",
        "HTTP/3" or "h3" => "HTTP/3",
        _ => protocol,
    };

    private static IEnumerable<(string Name, string Value)> QueryParameters(Uri url)
    {
        var query = url.Query.TrimStart('?');
        if (query.Length == 0)
        {
            yield break;
        }

        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            yield return (Unescape(name), Unescape(value));
        }
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static string? Find(IReadOnlyList<HeaderField> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static void WriteHeaders(Utf8JsonWriter json, string name, IReadOnlyList<HeaderField> headers)
    {
        json.WriteStartArray(name);
        foreach (var header in headers)
        {
            WriteNameValue(json, header.Name, header.Value);
        }

        json.WriteEndArray();
    }

    private static void WriteNameValue(Utf8JsonWriter json, string name, string value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("value", value);
        json.WriteEndObject();
    }
}
