using System.Text;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>HTTP/2 frames with every field decoded, and HPACK header blocks with their representations.</summary>
public sealed partial class JsonTraceWriter
{
    private void WriteHttp2(in WireRecord record)
    {
        switch (record.Decoded)
        {
            case Http2Preface:
                _json.WriteString("type", "PREFACE");
                _json.WriteNumber("stream", 0);
                break;
            case Http2Frame frame:
                WriteHttp2Frame(frame, record.Bytes.Length - Http2FrameHeader.Size);
                break;
            case Http2MalformedFrame malformed:
                _json.WriteString("type", "MALFORMED");
                _json.WriteNumber("stream", malformed.Header.StreamId);
                _json.WriteNumber("type_code", malformed.Header.Type);
                _json.WriteNumber("length", malformed.Header.Length);
                _json.WriteNumber("flags", malformed.Header.Flags);
                _json.WriteString("error", malformed.Reason);
                break;
            default:
                WriteUnknown(record);
                break;
        }
    }

    private void WriteHttp2Frame(Http2Frame frame, int length)
    {
        _json.WriteString("type", Http2FrameNames.Name(frame.TypeCode));
        _json.WriteNumber("stream", frame.StreamId);
        _json.WriteNumber("type_code", frame.TypeCode);
        _json.WriteNumber("length", Math.Max(length, 0));
        _json.WriteNumber("flags", (byte)frame.Flags);
        var flagNames = Http2FrameFormatter.FlagNames(frame);
        WriteStrings("flag_names", flagNames.Length == 0 ? [] : flagNames.Split(" | "));
        switch (frame)
        {
            case DataFrame data:
                _json.WriteBoolean("end_stream", data.EndStream);
                WritePadding(data.PadLength);
                _json.WriteNumber("data_length", data.Data.Length);
                break;
            case HeadersFrame headers:
                _json.WriteBoolean("end_stream", headers.EndStream);
                _json.WriteBoolean("end_headers", headers.EndHeaders);
                WritePadding(headers.PadLength);
                WritePriority(headers.Priority);
                _json.WriteNumber("fragment_length", headers.BlockFragment.Length);
                break;
            case PriorityFrame priority:
                WritePriority(priority.Priority);
                break;
            case RstStreamFrame rst:
                WriteHttp2Error(rst.ErrorCode);
                break;
            case SettingsFrame settings:
                _json.WriteBoolean("ack", settings.Ack);
                _json.WriteStartArray("settings");
                foreach (var setting in settings.Settings)
                {
                    WriteSetting(Http2SettingNames.Name(setting.Id), (ushort)setting.Id, setting.Value);
                }

                _json.WriteEndArray();
                break;
            case PushPromiseFrame push:
                _json.WriteNumber("promised_stream", push.PromisedStreamId);
                _json.WriteBoolean("end_headers", push.EndHeaders);
                WritePadding(push.PadLength);
                _json.WriteNumber("fragment_length", push.BlockFragment.Length);
                break;
            case PingFrame ping:
                _json.WriteBoolean("ack", ping.Ack);
                _json.WriteString("opaque", ping.OpaqueData.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case GoAwayFrame goAway:
                _json.WriteNumber("last_stream", goAway.LastStreamId);
                WriteHttp2Error(goAway.ErrorCode);
                _json.WriteString("debug", Encoding.Latin1.GetString(goAway.DebugData.Span));
                break;
            case WindowUpdateFrame update:
                _json.WriteNumber("increment", update.Increment);
                break;
            case ContinuationFrame continuation:
                _json.WriteBoolean("end_headers", continuation.EndHeaders);
                _json.WriteNumber("fragment_length", continuation.BlockFragment.Length);
                break;
            case UnknownFrame unknown:
                // A known type can arrive here too: the REPL sends frames raw, bypassing their codec.
                if (unknown.RawType < Http2FrameNames.AllNames.Count)
                {
                    _json.WriteBoolean("raw", true);
                }

                _json.WriteNumber("payload_length", unknown.Payload.Length);
                break;
        }
    }

    private void WriteHttp2Error(uint code)
    {
        _json.WriteString("error", Http2ErrorCodes.Name(code));
        _json.WriteNumber("error_code", code);
    }

    private void WriteSetting(string name, long id, long value)
    {
        _json.WriteStartObject();
        _json.WriteString("name", name);
        _json.WriteNumber("id", id);
        _json.WriteNumber("value", value);
        _json.WriteEndObject();
    }

    private void WritePadding(int? padLength)
    {
        if (padLength is { } pad)
        {
            _json.WriteNumber("pad_length", pad);
        }
    }

    private void WritePriority(Http2PriorityFields? priority)
    {
        if (priority is not { } fields)
        {
            return;
        }

        _json.WriteStartObject("priority");
        _json.WriteNumber("depends_on", fields.StreamDependency);
        _json.WriteNumber("weight", fields.EffectiveWeight);
        _json.WriteBoolean("exclusive", fields.Exclusive);
        _json.WriteEndObject();
    }

    private void WriteHpack(in WireRecord record)
    {
        if (record.Decoded is not Http2HeaderBlock block)
        {
            WriteUnknown(record);
            return;
        }

        _json.WriteString("type", "header_block");
        _json.WriteNumber("stream", block.StreamId);
        if (block.PromisedStreamId is { } promised)
        {
            _json.WriteNumber("promised_stream", promised);
        }

        WriteFields("fields", block.Fields);
        if (block.Representations is { } representations)
        {
            _json.WriteStartArray("representations");
            foreach (var representation in representations)
            {
                WriteHpackRepresentation(representation);
            }

            _json.WriteEndArray();
        }

        _json.WriteNumber("table_size", block.DynamicTableSize);
        _json.WriteNumber("table_entries", block.DynamicTableCount);
    }

    private void WriteHpackRepresentation(HpackFieldTrace trace)
    {
        _json.WriteStartObject();
        _json.WriteString("representation", trace.Representation switch
        {
            HpackRepresentation.Indexed => "indexed",
            HpackRepresentation.LiteralWithIncrementalIndexing => "literal_with_incremental_indexing",
            HpackRepresentation.LiteralWithoutIndexing => "literal_without_indexing",
            HpackRepresentation.LiteralNeverIndexed => "literal_never_indexed",
            _ => "dynamic_table_size_update",
        });
        if (trace.Representation == HpackRepresentation.DynamicTableSizeUpdate)
        {
            _json.WriteNumber("max_size", trace.Index);
        }
        else
        {
            // Index 0 on a literal means its name is a literal too.
            if (trace.Index > 0)
            {
                _json.WriteNumber("index", trace.Index);
                _json.WriteString("table", trace.Index <= HpackStaticTable.Count ? "static" : "dynamic");
            }

            _json.WriteString("name", trace.Field.Name);
            _json.WriteString("value", trace.Field.Value);
            if (trace.Representation != HpackRepresentation.Indexed)
            {
                _json.WriteBoolean("name_huffman", trace.NameHuffman);
                _json.WriteBoolean("value_huffman", trace.ValueHuffman);
            }
        }

        if (trace.Evicted.Count > 0)
        {
            WriteFields("evicted", trace.Evicted);
        }

        WriteHex("hex", trace.Encoded.Span);
        _json.WriteEndObject();
    }
}
