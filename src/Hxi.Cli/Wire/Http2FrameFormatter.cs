using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;

namespace Hxi.Cli.Wire;

/// <summary>Describes an HTTP/2 frame the way nghttp -nv does, with every field decoded by name.</summary>
public static class Http2FrameFormatter
{
    /// <summary>"SETTINGS frame &lt;length=18, flags=0x00, stream_id=0&gt;"</summary>
    public static string Title(Http2Frame frame, int length) =>
        $"{Http2FrameNames.Name(frame.TypeCode)} frame <length={length}, flags=0x{(byte)frame.Flags:x2}, stream_id={frame.StreamId}>";

    /// <summary>The decoded payload, one fact per line.</summary>
    public static IEnumerable<string> Details(Http2Frame frame)
    {
        var flags = FlagNames(frame);
        if (flags.Length > 0)
        {
            yield return $"; {flags}";
        }

        switch (frame)
        {
            case DataFrame data:
                if (data.PadLength is { } dataPad)
                {
                    yield return $"(padlen={dataPad})";
                }

                yield return $"({data.Data.Length} bytes of data)";
                break;
            case HeadersFrame headers:
                if (headers.PadLength is { } headersPad)
                {
                    yield return $"(padlen={headersPad})";
                }

                if (headers.Priority is { } priority)
                {
                    yield return Priority(priority);
                }

                yield return $"(field block fragment: {headers.BlockFragment.Length} bytes)";
                break;
            case PriorityFrame priorityFrame:
                yield return Priority(priorityFrame.Priority);
                break;
            case RstStreamFrame rst:
                yield return $"(error_code={Http2ErrorCodes.Name(rst.ErrorCode)}(0x{rst.ErrorCode:x2}))";
                break;
            case SettingsFrame settings:
                yield return $"(niv={settings.Settings.Count})";
                foreach (var setting in settings.Settings)
                {
                    // Known settings read as nghttp prints them; an unknown one's name carries its number already.
                    var name = Http2SettingNames.Name(setting.Id);
                    yield return name.StartsWith("UNKNOWN_SETTING", StringComparison.Ordinal)
                        ? $"[{name}:{setting.Value}]"
                        : $"[{name}(0x{(ushort)setting.Id:x2}):{setting.Value}]";
                }

                break;
            case PushPromiseFrame push:
                if (push.PadLength is { } pushPad)
                {
                    yield return $"(padlen={pushPad})";
                }

                yield return $"(promised_stream_id={push.PromisedStreamId})";
                break;
            case PingFrame ping:
                var opaque = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(opaque, ping.OpaqueData);
                yield return $"(opaque_data={Convert.ToHexStringLower(opaque)})";
                break;
            case GoAwayFrame goAway:
                yield return $"(last_stream_id={goAway.LastStreamId}, error_code={Http2ErrorCodes.Name(goAway.ErrorCode)}(0x{goAway.ErrorCode:x2}), opaque_data({goAway.DebugData.Length})=[{Printable(goAway.DebugData.Span)}])";
                break;
            case WindowUpdateFrame update:
                yield return $"(window_size_increment={update.Increment})";
                break;
            case ContinuationFrame continuation:
                yield return $"(field block fragment: {continuation.BlockFragment.Length} bytes)";
                break;
            case UnknownFrame unknown:
                yield return $"(unknown frame type 0x{unknown.RawType:x2}, ignored; payload {unknown.Payload.Length} bytes: {Convert.ToHexStringLower(unknown.Payload.Span[..Math.Min(32, unknown.Payload.Length)])}{(unknown.Payload.Length > 32 ? "..." : "")})";
                break;
        }
    }

    public static string FlagNames(Http2Frame frame)
    {
        var flags = frame.Flags;
        var names = new List<string>();
        switch (frame.Type)
        {
            case Http2FrameType.Settings or Http2FrameType.Ping when frame is not UnknownFrame:
                if (flags.HasFlag(Http2FrameFlags.Ack))
                {
                    names.Add("ACK");
                }

                break;
            case Http2FrameType.Data or Http2FrameType.Headers or Http2FrameType.PushPromise or Http2FrameType.Continuation when frame is not UnknownFrame:
                if (flags.HasFlag(Http2FrameFlags.EndStream) && frame.Type is Http2FrameType.Data or Http2FrameType.Headers)
                {
                    names.Add("END_STREAM");
                }

                if (flags.HasFlag(Http2FrameFlags.EndHeaders) && frame.Type != Http2FrameType.Data)
                {
                    names.Add("END_HEADERS");
                }

                if (flags.HasFlag(Http2FrameFlags.Padded) && frame.Type != Http2FrameType.Continuation)
                {
                    names.Add("PADDED");
                }

                if (flags.HasFlag(Http2FrameFlags.Priority) && frame.Type == Http2FrameType.Headers)
                {
                    names.Add("PRIORITY");
                }

                break;
        }

        return string.Join(" | ", names);
    }

    private static string Priority(Http2PriorityFields priority) =>
        $"(dep_stream_id={priority.StreamDependency}, weight={priority.EffectiveWeight}, exclusive={(priority.Exclusive ? 1 : 0)})";

    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : $"\\x{b.ToString("x2", CultureInfo.InvariantCulture)}");
        }

        return text.ToString();
    }
}
