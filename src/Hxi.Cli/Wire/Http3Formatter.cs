using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;

namespace Hxi.Cli.Wire;

/// <summary>HTTP/3 frames with their stream, and QPACK field lines and instructions, in words.</summary>
public static class Http3Formatter
{
    public static string Title(Http3FrameTrace trace) =>
        $"{trace.Frame.TypeName} frame <length={trace.PayloadLength}, stream_id={trace.StreamId}>";

    public static IEnumerable<string> Details(Http3FrameTrace trace)
    {
        switch (trace.Frame)
        {
            case SettingsFrame settings:
                foreach (var setting in settings.Settings)
                {
                    yield return $"[{setting}]";
                }

                break;
            case GoAwayFrame goAway:
                yield return $"(id={goAway.Id})";
                break;
            case MaxPushIdFrame maxPushId:
                yield return $"(push_id={maxPushId.PushId})";
                break;
            case CancelPushFrame cancel:
                yield return $"(push_id={cancel.PushId})";
                break;
            case PushPromiseFrame push:
                yield return $"(push_id={push.PushId}, field section {push.FieldSection.Length} bytes)";
                break;
            case PriorityUpdateFrame priority:
                yield return $"({(priority.IsPush ? "push" : "request")} {priority.ElementId}: {priority.PriorityFieldValue})";
                break;
            case UnknownFrame unknown:
                yield return $"(unknown or reserved type 0x{unknown.FrameType:x}, ignored)";
                break;
        }
    }

    public static string StreamType(Http3StreamTypeTrace trace) =>
        $"stream {trace.StreamId} opened as {trace.Name} (type 0x{trace.StreamType:x}{(trace.PushId is { } pushId ? $", push_id={pushId}" : "")})";

    /// <summary>
    /// One QPACK field line in the words the HPACK view uses (`indexed field 17 (static)`, `literal ..., name 1 (static),
    /// value literal (Huffman)`), with QPACK's own additions: relative and absolute dynamic indices, post-base, N bit.
    /// </summary>
    public static string Describe(QpackFieldTrace line)
    {
        var field = $"{line.Field.Name}: {line.Field.Value}";
        var kind = line.NeverIndexed ? "literal never indexed" : "literal";
        var value = $"value literal{Huffman(line.ValueHuffman)}";
        return line.Representation switch
        {
            QpackRepresentation.IndexedStatic => $"indexed field {line.Index} (static): {field}",
            QpackRepresentation.IndexedDynamic => $"indexed field {DynamicName(line, postBase: false)}: {field}",
            QpackRepresentation.IndexedPostBase => $"indexed field {DynamicName(line, postBase: true)}: {field}",
            QpackRepresentation.LiteralStaticName => $"{kind}, name {line.Index} (static), {value}: {field}",
            QpackRepresentation.LiteralDynamicName => $"{kind}, name {DynamicName(line, postBase: false)}, {value}: {field}",
            QpackRepresentation.LiteralPostBaseName => $"{kind}, name {DynamicName(line, postBase: true)}, {value}: {field}",
            _ => $"{kind}, name literal{Huffman(line.NameHuffman)}, {value}: {field}",
        };
    }

    private static string DynamicName(QpackFieldTrace line, bool postBase) =>
        $"{line.Index} ({(postBase ? "dynamic, post-base" : "dynamic, relative")}{(line.AbsoluteIndex >= 0 ? $", absolute {line.AbsoluteIndex}" : "")})";

    private static string Huffman(bool huffman) => huffman ? " (Huffman)" : "";

    public static string Describe(QpackInstructionTrace instruction) => instruction.Kind switch
    {
        QpackInstructionKind.SetDynamicTableCapacity => $"QPACK Set Dynamic Table Capacity {instruction.Value}",
        QpackInstructionKind.InsertWithNameReference => $"QPACK Insert With Name Reference ({(instruction.StaticName ? "static" : "dynamic")} {instruction.Value}) -> {instruction.InsertedAbsoluteIndex}: {instruction.Field.Name}: {instruction.Field.Value}",
        QpackInstructionKind.InsertWithLiteralName => $"QPACK Insert With Literal Name -> {instruction.InsertedAbsoluteIndex}: {instruction.Field.Name}: {instruction.Field.Value}",
        QpackInstructionKind.Duplicate => $"QPACK Duplicate {instruction.Value} -> {instruction.InsertedAbsoluteIndex}",
        QpackInstructionKind.SectionAcknowledgment => $"QPACK Section Acknowledgment stream {instruction.Value}",
        QpackInstructionKind.StreamCancellation => $"QPACK Stream Cancellation stream {instruction.Value}",
        _ => $"QPACK Insert Count Increment {instruction.Value}",
    };
}
