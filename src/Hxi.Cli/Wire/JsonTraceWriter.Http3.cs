using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>HTTP/3 frames and stream types, QPACK field sections and encoder/decoder stream instructions.</summary>
public sealed partial class JsonTraceWriter
{
    private void WriteHttp3(in WireRecord record)
    {
        switch (record.Decoded)
        {
            case Http3FrameTrace trace:
                WriteHttp3Frame(trace);
                break;
            case Http3StreamTypeTrace stream:
                _json.WriteString("type", "stream_type");
                _json.WriteNumber("stream", stream.StreamId);
                _json.WriteString("stream_type", stream.Name);
                _json.WriteNumber("stream_type_code", stream.StreamType);
                if (stream.PushId is { } pushId)
                {
                    _json.WriteNumber("push_id", pushId);
                }

                break;
            default:
                WriteUnknown(record);
                break;
        }
    }

    private void WriteHttp3Frame(Http3FrameTrace trace)
    {
        var frame = trace.Frame;
        _json.WriteString("type", frame.TypeName);
        _json.WriteNumber("stream", trace.StreamId);
        _json.WriteNumber("type_code", frame is UnknownFrame unknown ? unknown.FrameType : frame.Type);
        _json.WriteNumber("length", trace.PayloadLength);
        switch (frame)
        {
            case HeadersFrame headers:
                _json.WriteNumber("field_section_length", headers.FieldSection.Length);
                break;
            case SettingsFrame settings:
                _json.WriteStartArray("settings");
                foreach (var setting in settings.Settings)
                {
                    WriteSetting(Http3SettingId.Name(setting.Id), setting.Id, setting.Value);
                }

                _json.WriteEndArray();
                break;
            case GoAwayFrame goAway:
                _json.WriteNumber("id", goAway.Id);
                break;
            case MaxPushIdFrame maxPushId:
                _json.WriteNumber("push_id", maxPushId.PushId);
                break;
            case CancelPushFrame cancel:
                _json.WriteNumber("push_id", cancel.PushId);
                break;
            case PushPromiseFrame push:
                _json.WriteNumber("push_id", push.PushId);
                _json.WriteNumber("field_section_length", push.FieldSection.Length);
                break;
            case PriorityUpdateFrame priority:
                _json.WriteString("element", priority.IsPush ? "push" : "request");
                _json.WriteNumber("element_id", priority.ElementId);
                _json.WriteString("priority_field_value", priority.PriorityFieldValue);
                break;
        }
    }

    private void WriteQpack(in WireRecord record)
    {
        switch (record.Decoded)
        {
            case QpackSectionTrace section:
                _json.WriteString("type", "field_section");
                _json.WriteNumber("stream", section.StreamId);
                _json.WriteNumber("required_insert_count", section.RequiredInsertCount);
                _json.WriteNumber("encoded_insert_count", section.EncodedInsertCount);
                _json.WriteNumber("base", section.Base);
                _json.WriteBoolean("was_blocked", section.WasBlocked);
                _json.WriteStartArray("fields");
                foreach (var line in section.Lines)
                {
                    WriteField(line.Field);
                }

                _json.WriteEndArray();
                _json.WriteStartArray("representations");
                foreach (var line in section.Lines)
                {
                    WriteQpackLine(line);
                }

                _json.WriteEndArray();
                break;
            case QpackInstructionTrace instruction:
                WriteQpackInstruction(instruction);
                break;
            default:
                WriteUnknown(record);
                break;
        }
    }

    // Worded as the HPACK representations are: "indexed" or a literal, which table the index is in, Huffman or not.
    private void WriteQpackLine(QpackFieldTrace line)
    {
        _json.WriteStartObject();
        var (representation, table) = line.Representation switch
        {
            QpackRepresentation.IndexedStatic => ("indexed", "static"),
            QpackRepresentation.IndexedDynamic => ("indexed", "dynamic"),
            QpackRepresentation.IndexedPostBase => ("indexed_post_base", "dynamic"),
            QpackRepresentation.LiteralStaticName => ("literal_with_name_reference", "static"),
            QpackRepresentation.LiteralDynamicName => ("literal_with_name_reference", "dynamic"),
            QpackRepresentation.LiteralPostBaseName => ("literal_with_post_base_name_reference", "dynamic"),
            _ => ("literal_with_literal_name", null),
        };
        _json.WriteString("representation", representation);
        if (table is not null)
        {
            _json.WriteNumber("index", line.Index);
            _json.WriteString("table", table);
            if (line.AbsoluteIndex >= 0)
            {
                _json.WriteNumber("absolute_index", line.AbsoluteIndex);
            }
        }

        _json.WriteString("name", line.Field.Name);
        _json.WriteString("value", line.Field.Value);
        if (!representation.StartsWith("indexed", StringComparison.Ordinal))
        {
            _json.WriteBoolean("never_indexed", line.NeverIndexed);
            _json.WriteBoolean("name_huffman", line.NameHuffman);
            _json.WriteBoolean("value_huffman", line.ValueHuffman);
        }

        // Received lines are decoded in place without keeping their bytes; the record's hex has the whole section.
        if (!line.Encoded.IsEmpty)
        {
            WriteHex("hex", line.Encoded.Span);
        }

        _json.WriteEndObject();
    }

    private void WriteQpackInstruction(QpackInstructionTrace instruction)
    {
        switch (instruction.Kind)
        {
            case QpackInstructionKind.SetDynamicTableCapacity:
                _json.WriteString("type", "set_dynamic_table_capacity");
                _json.WriteNumber("capacity", instruction.Value);
                break;
            case QpackInstructionKind.InsertWithNameReference:
                _json.WriteString("type", "insert_with_name_reference");
                _json.WriteNumber("index", instruction.Value);
                _json.WriteString("table", instruction.StaticName ? "static" : "dynamic");
                WriteInsertedField(instruction);
                break;
            case QpackInstructionKind.InsertWithLiteralName:
                _json.WriteString("type", "insert_with_literal_name");
                _json.WriteBoolean("name_huffman", instruction.NameHuffman);
                WriteInsertedField(instruction);
                break;
            case QpackInstructionKind.Duplicate:
                _json.WriteString("type", "duplicate");
                _json.WriteNumber("index", instruction.Value);
                WriteInsertedField(instruction);
                break;
            case QpackInstructionKind.SectionAcknowledgment:
                _json.WriteString("type", "section_acknowledgment");
                _json.WriteNumber("acknowledged_stream", instruction.Value);
                break;
            case QpackInstructionKind.StreamCancellation:
                _json.WriteString("type", "stream_cancellation");
                _json.WriteNumber("cancelled_stream", instruction.Value);
                break;
            default:
                _json.WriteString("type", "insert_count_increment");
                _json.WriteNumber("increment", instruction.Value);
                break;
        }

        // Only an instruction that inserts or lowers the capacity can evict.
        if (instruction.Evicted.Count > 0 && instruction.Kind is QpackInstructionKind.SetDynamicTableCapacity or QpackInstructionKind.InsertWithNameReference
                or QpackInstructionKind.InsertWithLiteralName or QpackInstructionKind.Duplicate)
        {
            _json.WriteStartArray("evicted");
            foreach (var entry in instruction.Evicted)
            {
                _json.WriteStartObject();
                _json.WriteNumber("absolute_index", entry.AbsoluteIndex);
                _json.WriteString("name", entry.Field.Name);
                _json.WriteString("value", entry.Field.Value);
                _json.WriteEndObject();
            }

            _json.WriteEndArray();
        }
    }

    private void WriteInsertedField(QpackInstructionTrace instruction)
    {
        _json.WriteString("name", instruction.Field.Name);
        _json.WriteString("value", instruction.Field.Value);
        if (instruction.Kind != QpackInstructionKind.Duplicate)
        {
            _json.WriteBoolean("value_huffman", instruction.ValueHuffman);
        }

        _json.WriteNumber("inserted_index", instruction.InsertedAbsoluteIndex);
    }
}
