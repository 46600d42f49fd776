using Hxi.Net.Http1;
using Hxi.Protocols.Http1;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>HTTP/1.1: message heads with their start line and header fields parsed, body pieces by size.</summary>
public sealed partial class JsonTraceWriter
{
    private void WriteHttp1(in WireRecord record)
    {
        switch (record.Decoded)
        {
            case Http1Text text when Http1RequestHead.TryParse(text.Text, out var head):
                _json.WriteString("type", "request_head");
                _json.WriteString("method", head.Method);
                _json.WriteString("target", head.Target);
                _json.WriteString("version", head.Version);
                WriteFields("headers", head.Headers);
                break;
            case Http1Text text:
                // Hand-typed bytes (the REPL's raw HTTP/1.1) that are not a request head: shown as they went.
                _json.WriteString("type", "text");
                _json.WriteString("text", text.Text);
                break;
            case Http1BodyBytes body:
                _json.WriteString("type", "request_body");
                _json.WriteNumber("length", body.Length);
                break;
            case Http1InterimResponseReceived interim:
                _json.WriteString("type", "interim_response_head");
                _json.WriteNumber("status", interim.StatusCode);
                _json.WriteString("reason", interim.Reason);
                WriteFields("headers", interim.Headers);
                break;
            case Http1ResponseHeadReceived head:
                _json.WriteString("type", "response_head");
                _json.WriteString("version", head.Version);
                _json.WriteNumber("status", head.StatusCode);
                _json.WriteString("reason", head.Reason);
                WriteFields("headers", head.Headers);
                _json.WriteString("body_framing", head.BodyKind switch
                {
                    Http1BodyKind.None => "none",
                    Http1BodyKind.ContentLength => "content-length",
                    Http1BodyKind.Chunked => "chunked",
                    _ => "until-close",
                });
                if (head.ContentLength is { } length)
                {
                    _json.WriteNumber("content_length", length);
                }

                break;
            case Http1BodyDataReceived data:
                _json.WriteString("type", "body_data");
                _json.WriteNumber("length", data.Data.Length);
                break;
            case Http1ChunkStarted chunk:
                _json.WriteString("type", "chunk_size");
                _json.WriteNumber("size", chunk.Size);
                WriteOptional("extensions", chunk.Extensions);
                break;
            case Http1ResponseCompleted completed:
                _json.WriteString("type", "response_end");
                WriteFields("trailers", completed.Trailers);
                _json.WriteBoolean("keep_alive", completed.KeepAlive);
                break;
            case Http1SwitchingProtocols switched:
                _json.WriteString("type", "switching_protocols");
                _json.WriteNumber("status", 101);
                WriteFields("headers", switched.Headers);
                break;
            case Http1TunnelEstablished tunnel:
                _json.WriteString("type", "tunnel_established");
                _json.WriteNumber("status", tunnel.StatusCode);
                _json.WriteString("reason", tunnel.Reason);
                WriteFields("headers", tunnel.Headers);
                break;
            case null:
                // Line ends between chunks and the like: framing with no meaning of its own.
                _json.WriteString("type", "framing");
                break;
            default:
                WriteUnknown(record);
                break;
        }
    }
}

/// <summary>A request head as hxi wrote it, read back into request line and fields for the trace.</summary>
internal sealed record Http1RequestHead(string Method, string Target, string Version, IReadOnlyList<HeaderField> Headers)
{
    /// <summary>Only a whole head (request line, fields, empty line, nothing after) parses; anything else stays text.</summary>
    public static bool TryParse(string text, out Http1RequestHead head)
    {
        head = null!;
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0 || end + 4 != text.Length)
        {
            return false;
        }

        var lines = text[..end].Split("\r\n");
        var start = lines[0].Split(' ');
        if (start.Length != 3 || start[0].Length == 0 || start[1].Length == 0 || !start[2].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            return false;
        }

        var fields = new List<HeaderField>(lines.Length - 1);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                return false;
            }

            fields.Add(new HeaderField(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        head = new Http1RequestHead(start[0], start[1], start[2], fields);
        return true;
    }
}
