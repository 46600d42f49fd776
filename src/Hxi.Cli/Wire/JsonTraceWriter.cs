using System.Diagnostics;
using System.Text.Json;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>--trace FILE: one JSON object per line and per record, for scripts (jq, pandas).</summary>
/// <example>{"t":0.0123,"dir":"recv","layer":"http2","type":"SETTINGS","length":18,"flags":0,"stream":0,"settings":{"SETTINGS_MAX_FRAME_SIZE":16384},"hex":"..."}</example>
public sealed class JsonTraceWriter(Stream output, Stopwatch clock) : IWireTap, IDisposable
{
    private const int MaxHexBytes = 1024;

    private readonly Lock _gate = new();
    private readonly Utf8JsonWriter _json = new(output, new JsonWriterOptions { SkipValidation = true });

    public void Record(in WireRecord record)
    {
        lock (_gate)
        {
            _json.Reset();
            _json.WriteStartObject();
            _json.WriteNumber("t", Math.Round(clock.Elapsed.TotalSeconds, 6));
            _json.WriteString("dir", record.Direction == WireDirection.Sent ? "send" : "recv");
            _json.WriteString("layer", record.Layer.ToString().ToLowerInvariant());
            WriteDecoded(record);
            _json.WriteNumber("bytes", record.Bytes.Length);
            var shown = record.Bytes.Span[..Math.Min(record.Bytes.Length, MaxHexBytes)];
            _json.WriteString("hex", Convert.ToHexStringLower(shown));
            if (shown.Length < record.Bytes.Length)
            {
                _json.WriteBoolean("hex_truncated", true);
            }

            _json.WriteEndObject();
            _json.Flush();
            output.WriteByte((byte)'\n');
            output.Flush();
        }
    }

    private void WriteDecoded(in WireRecord record)
    {
        switch (record.Decoded)
        {
            case Http2Preface:
                _json.WriteString("type", "PREFACE");
                break;
            case Http2Frame frame:
                _json.WriteString("type", Http2FrameNames.Name(frame.TypeCode));
                _json.WriteNumber("length", record.Bytes.Length - Http2FrameHeader.Size);
                _json.WriteNumber("flags", (byte)frame.Flags);
                _json.WriteNumber("stream", frame.StreamId);
                WriteFrameFields(frame);
                break;
            case Http2HeaderBlock block:
                _json.WriteString("type", "HEADER_BLOCK");
                _json.WriteNumber("stream", block.StreamId);
                _json.WriteStartArray("fields");
                foreach (var field in block.Fields)
                {
                    _json.WriteStartArray();
                    _json.WriteStringValue(field.Name);
                    _json.WriteStringValue(field.Value);
                    _json.WriteEndArray();
                }

                _json.WriteEndArray();
                break;
            case UnparsedBytes unparsed:
                _json.WriteString("type", "UNPARSED");
                _json.WriteString("error", unparsed.Reason);
                break;
            case Http2MalformedFrame malformed:
                _json.WriteString("type", "MALFORMED");
                _json.WriteString("error", malformed.Reason);
                break;
            case { } other:
                _json.WriteString("note", other.ToString());
                break;
        }
    }

    private void WriteFrameFields(Http2Frame frame)
    {
        switch (frame)
        {
            case SettingsFrame settings:
                _json.WriteStartObject("settings");
                foreach (var setting in settings.Settings)
                {
                    _json.WriteNumber(Http2SettingNames.Name(setting.Id), setting.Value);
                }

                _json.WriteEndObject();
                break;
            case WindowUpdateFrame update:
                _json.WriteNumber("increment", update.Increment);
                break;
            case RstStreamFrame rst:
                _json.WriteString("error_code", Http2ErrorCodes.Name(rst.ErrorCode));
                break;
            case GoAwayFrame goAway:
                _json.WriteNumber("last_stream", goAway.LastStreamId);
                _json.WriteString("error_code", Http2ErrorCodes.Name(goAway.ErrorCode));
                _json.WriteString("debug", System.Text.Encoding.Latin1.GetString(goAway.DebugData.Span));
                break;
            case PingFrame ping:
                _json.WriteString("opaque", ping.OpaqueData.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case DataFrame data:
                _json.WriteNumber("data_length", data.Data.Length);
                break;
        }
    }

    public void Dispose()
    {
        _json.Dispose();
        output.Dispose();
    }
}
