using System.Buffers.Binary;
using Hxi.Protocols.Http2.Frames;

namespace Hxi.Protocols.Http2;

/// <summary>Turns one frame's payload into its record, enforcing the per-type rules of RFC 9113 Section 6.</summary>
/// <remarks>
/// Rules that need connection state (stream states, settings values, flow control) live in the
/// connection; this class checks only what the frame itself can prove wrong. Frames slice the
/// payload without copying it: they are valid as long as the caller's buffer is.
/// </remarks>
public static class Http2FrameDecoder
{
    /// <summary>Decodes into frames that own copies of their bytes.</summary>
    public static Http2Frame Decode(in Http2FrameHeader header, ReadOnlySpan<byte> payload) =>
        Decode(header, new ReadOnlyMemory<byte>(payload.ToArray()));

    /// <summary>Decodes into frames whose byte fields are slices of <paramref name="payload"/>.</summary>
    public static Http2Frame Decode(in Http2FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        if (header.Type > (byte)Http2FrameType.Continuation)
        {
            return new UnknownFrame(header.Type, header.Flags, header.StreamId, payload);
        }

        var type = (Http2FrameType)header.Type;
        return type switch
        {
            Http2FrameType.Data => DecodeData(header, payload),
            Http2FrameType.Headers => DecodeHeaders(header, payload),
            Http2FrameType.Priority => DecodePriority(header, payload),
            Http2FrameType.RstStream => DecodeRstStream(header, payload),
            Http2FrameType.Settings => DecodeSettings(header, payload),
            Http2FrameType.PushPromise => DecodePushPromise(header, payload),
            Http2FrameType.Ping => DecodePing(header, payload),
            Http2FrameType.GoAway => DecodeGoAway(header, payload),
            Http2FrameType.WindowUpdate => DecodeWindowUpdate(header, payload),
            _ => DecodeContinuation(header, payload),
        };
    }

    private static DataFrame DecodeData(in Http2FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        RequireStream(header, "DATA");
        var content = StripPadding(header, payload, "DATA", out var padLength);
        return new DataFrame(header.StreamId, content, header.HasFlag(Http2FrameFlags.EndStream), padLength);
    }

    private static HeadersFrame DecodeHeaders(in Http2FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        RequireStream(header, "HEADERS");
        var content = StripPadding(header, payload, "HEADERS", out var padLength);
        Http2PriorityFields? priority = null;
        if (header.HasFlag(Http2FrameFlags.Priority))
        {
            if (content.Length < 5)
            {
                throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "HEADERS with PRIORITY flag is shorter than its 5 priority bytes");
            }

            priority = ReadPriority(content.Span);
            content = content[5..];
        }

        return new HeadersFrame(
            header.StreamId,
            content,
            header.HasFlag(Http2FrameFlags.EndStream),
            header.HasFlag(Http2FrameFlags.EndHeaders),
            priority,
            padLength);
    }

    private static PriorityFrame DecodePriority(in Http2FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        RequireStream(header, "PRIORITY");
        if (payload.Length != 5)
        {
            throw new Http2StreamException(header.StreamId, Http2ErrorCode.FrameSizeError, $"PRIORITY payload is {payload.Length} bytes, not 5");
        }

        return new PriorityFrame(header.StreamId, ReadPriority(payload.Span));
    }

    private static RstStreamFrame DecodeRstStream(in Http2FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        RequireStream(header, "RST_STREAM");
        if (payload.Length != 4)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, $"RST_STREAM payload is {payload.Length} bytes, not 4");
        }

        return new RstStreamFrame(header.StreamId, BinaryPrimitives.ReadUInt32BigEndian(payload.Span));
    }

    private static SettingsFrame DecodeSettings(in Http2FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        RequireConnection(header, "SETTINGS");
        var ack = header.HasFlag(Http2FrameFlags.Ack);
        if (ack && payload.Length != 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, $"SETTINGS ACK carries {payload.Length} payload bytes");
        }

        if (payload.Length % 6 != 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, $"SETTINGS payload of {payload.Length} bytes is not a multiple of 6");
        }

        var settings = new Http2Setting[payload.Length / 6];
        for (var i = 0; i < settings.Length; i++)
        {
            var entry = payload.Span.Slice(i * 6, 6);
            settings[i] = new Http2Setting(
                (Http2SettingId)BinaryPrimitives.ReadUInt16BigEndian(entry),
                BinaryPrimitives.ReadUInt32BigEndian(entry[2..]));
        }

        return ack ? SettingsFrame.Acknowledgement : new SettingsFrame(false, settings);
    }

    private static PushPromiseFrame DecodePushPromise(in Http2FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        RequireStream(header, "PUSH_PROMISE");
        var content = StripPadding(header, payload, "PUSH_PROMISE", out var padLength);
        if (content.Length < 4)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "PUSH_PROMISE is shorter than its promised stream id");
        }

        var promised = (int)(BinaryPrimitives.ReadUInt32BigEndian(content.Span) & 0x7fff_ffff);
        return new PushPromiseFrame(header.StreamId, promised, content[4..], header.HasFlag(Http2FrameFlags.EndHeaders), padLength);
    }

    private static PingFrame DecodePing(in Http2FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        RequireConnection(header, "PING");
        if (payload.Length != 8)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, $"PING payload is {payload.Length} bytes, not 8");
        }

        return new PingFrame(header.HasFlag(Http2FrameFlags.Ack), BinaryPrimitives.ReadUInt64BigEndian(payload.Span));
    }

    private static GoAwayFrame DecodeGoAway(in Http2FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        RequireConnection(header, "GOAWAY");
        if (payload.Length < 8)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, $"GOAWAY payload is {payload.Length} bytes, less than 8");
        }

        var lastStream = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload.Span) & 0x7fff_ffff);
        return new GoAwayFrame(lastStream, BinaryPrimitives.ReadUInt32BigEndian(payload.Span[4..]), payload[8..]);
    }

    private static WindowUpdateFrame DecodeWindowUpdate(in Http2FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        if (payload.Length != 4)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, $"WINDOW_UPDATE payload is {payload.Length} bytes, not 4");
        }

        var increment = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload.Span) & 0x7fff_ffff);
        if (increment == 0)
        {
            const string reason = "WINDOW_UPDATE with an increment of 0";
            throw header.StreamId == 0
                ? new Http2ConnectionException(Http2ErrorCode.ProtocolError, reason)
                : new Http2StreamException(header.StreamId, Http2ErrorCode.ProtocolError, reason);
        }

        return new WindowUpdateFrame(header.StreamId, increment);
    }

    private static ContinuationFrame DecodeContinuation(in Http2FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        RequireStream(header, "CONTINUATION");
        return new ContinuationFrame(header.StreamId, payload, header.HasFlag(Http2FrameFlags.EndHeaders));
    }

    private static ReadOnlyMemory<byte> StripPadding(in Http2FrameHeader header, ReadOnlyMemory<byte> payload, string name, out int? padLength)
    {
        padLength = null;
        if (!header.HasFlag(Http2FrameFlags.Padded))
        {
            return payload;
        }

        if (payload.Length == 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, $"padded {name} has no Pad Length byte");
        }

        int pad = payload.Span[0];
        if (pad >= payload.Length)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"{name} padding of {pad} bytes is not shorter than the {payload.Length}-byte payload");
        }

        padLength = pad;
        return payload[1..^pad];
    }

    private static Http2PriorityFields ReadPriority(ReadOnlySpan<byte> source)
    {
        var word = BinaryPrimitives.ReadUInt32BigEndian(source);
        return new Http2PriorityFields((word & 0x8000_0000) != 0, (int)(word & 0x7fff_ffff), source[4]);
    }

    private static void RequireStream(in Http2FrameHeader header, string name)
    {
        if (header.StreamId == 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"{name} frame on stream 0");
        }
    }

    private static void RequireConnection(in Http2FrameHeader header, string name)
    {
        if (header.StreamId != 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"{name} frame on stream {header.StreamId}, not 0");
        }
    }
}
