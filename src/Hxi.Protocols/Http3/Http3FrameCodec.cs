using System.Text;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3;

/// <summary>Frame payloads to records and back (RFC 9114 Section 7.2); framing itself is in the reader and writer.</summary>
public static class Http3FrameCodec
{
    /// <summary>
    /// Decodes a complete payload. Layout errors are H3_FRAME_ERROR, invalid SETTINGS are H3_SETTINGS_ERROR,
    /// both as <see cref="Http3ConnectionException"/>.
    /// </summary>
    public static Http3Frame ParsePayload(long type, ReadOnlySpan<byte> payload)
    {
        switch (type)
        {
            case Http3FrameType.Data:
                return new DataFrame(payload.ToArray());
            case Http3FrameType.Headers:
                return new HeadersFrame(payload.ToArray());
            case Http3FrameType.CancelPush:
                return new CancelPushFrame(ReadOnlyVarint(type, payload));
            case Http3FrameType.GoAway:
                return new GoAwayFrame(ReadOnlyVarint(type, payload));
            case Http3FrameType.MaxPushId:
                return new MaxPushIdFrame(ReadOnlyVarint(type, payload));
            case Http3FrameType.Settings:
                return ParseSettings(payload);
            case Http3FrameType.PushPromise:
                {
                    // PUSH_PROMISE Frame { Type (i) = 0x05, Length (i), Push ID (i), Encoded Field Section (..) }
                    long pushId = ReadVarint(type, payload, out int consumed);
                    return new PushPromiseFrame(pushId, payload[consumed..].ToArray());
                }

            case Http3FrameType.PriorityUpdateRequest or Http3FrameType.PriorityUpdatePush:
                {
                    // PRIORITY_UPDATE Frame { Type (i) = 0xF0700..0xF0701, Length (i), Prioritized Element ID (i), Priority Field Value (..) }
                    long element = ReadVarint(type, payload, out int consumed);
                    return new PriorityUpdateFrame(type == Http3FrameType.PriorityUpdatePush, element, Encoding.Latin1.GetString(payload[consumed..]));
                }

            default:
                return new UnknownFrame(type, payload.ToArray());
        }
    }

    /// <summary>Like <see cref="ParsePayload"/>, but a payload that does not parse is kept as an <see cref="UnknownFrame"/>: the REPL may send anything.</summary>
    public static Http3Frame ParsePayloadUnchecked(long type, ReadOnlySpan<byte> payload)
    {
        try
        {
            return ParsePayload(type, payload);
        }
        catch (Http3ConnectionException)
        {
            return new UnknownFrame(type, payload.ToArray());
        }
    }

    /// <summary>The payload bytes of a frame record, as the writer puts them after the type and length.</summary>
    public static byte[] GetPayload(Http3Frame frame)
    {
        switch (frame)
        {
            case DataFrame data:
                return data.Data.ToArray();
            case HeadersFrame headers:
                return headers.FieldSection.ToArray();
            case CancelPushFrame cancel:
                return Varint(cancel.PushId);
            case GoAwayFrame goAway:
                return Varint(goAway.Id);
            case MaxPushIdFrame maxPushId:
                return Varint(maxPushId.PushId);
            case SettingsFrame settings:
                {
                    var bytes = new List<byte>();
                    foreach (var setting in settings.Settings)
                    {
                        bytes.AddRange(Varint(setting.Id));
                        bytes.AddRange(Varint(setting.Value));
                    }

                    return [.. bytes];
                }

            case PushPromiseFrame push:
                return [.. Varint(push.PushId), .. push.FieldSection.Span];
            case PriorityUpdateFrame priority:
                return [.. Varint(priority.ElementId), .. Encoding.Latin1.GetBytes(priority.PriorityFieldValue)];
            case UnknownFrame unknown:
                return unknown.Payload.ToArray();
            default:
                throw new ArgumentException($"Unsupported frame record {frame.GetType().Name}.", nameof(frame));
        }
    }

    // SETTINGS Frame { Type (i) = 0x04, Length (i), Setting { Identifier (i), Value (i) } ... }
    private static SettingsFrame ParseSettings(ReadOnlySpan<byte> payload)
    {
        var settings = new List<Http3Setting>();
        var seen = new HashSet<long>();
        int position = 0;
        while (position < payload.Length)
        {
            long id = ReadVarint(Http3FrameType.Settings, payload[position..], out int idBytes);
            position += idBytes;
            long value = ReadVarint(Http3FrameType.Settings, payload[position..], out int valueBytes);
            position += valueBytes;
            if (!seen.Add(id))
            {
                throw new Http3ConnectionException(Http3ErrorCode.SettingsError, $"SETTINGS repeats {Http3SettingId.Name(id)}");
            }

            if (Http3SettingId.IsReservedHttp2Setting(id))
            {
                throw new Http3ConnectionException(Http3ErrorCode.SettingsError, $"SETTINGS carries the HTTP/2 identifier 0x{id:x}");
            }

            settings.Add(new Http3Setting(id, value));
        }

        return new SettingsFrame(settings);
    }

    private static long ReadOnlyVarint(long type, ReadOnlySpan<byte> payload)
    {
        long value = ReadVarint(type, payload, out int consumed);
        if (consumed != payload.Length)
        {
            throw new Http3ConnectionException(
                Http3ErrorCode.FrameError, $"{Http3FrameType.Name(type)} payload has {payload.Length - consumed} bytes after its field");
        }

        return value;
    }

    private static long ReadVarint(long type, ReadOnlySpan<byte> payload, out int consumed) =>
        QuicVarint.TryRead(payload, out ulong value, out consumed) ? (long)value
        : throw new Http3ConnectionException(Http3ErrorCode.FrameError, $"{Http3FrameType.Name(type)} payload ends inside a field");

    private static byte[] Varint(long value)
    {
        var bytes = new byte[QuicVarint.GetByteCount((ulong)value)];
        QuicVarint.Write(bytes, (ulong)value);
        return bytes;
    }
}
