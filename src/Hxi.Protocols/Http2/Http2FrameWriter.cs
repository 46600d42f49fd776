using System.Buffers;
using System.Buffers.Binary;
using Hxi.Protocols.Http2.Frames;

namespace Hxi.Protocols.Http2;

/// <summary>Serialises frame records exactly as they describe themselves, legal or not.</summary>
/// <remarks>
/// No validation happens here: the connection decides what is legal to send, and the REPL
/// deliberately writes frames a conforming endpoint never would.
/// </remarks>
public static class Http2FrameWriter
{
    public static int GetPayloadLength(Http2Frame frame) => frame switch
    {
        DataFrame f => f.Data.Length + PaddingOverhead(f.PadLength),
        HeadersFrame f => f.BlockFragment.Length + PaddingOverhead(f.PadLength) + (f.Priority is null ? 0 : 5),
        PriorityFrame => 5,
        RstStreamFrame => 4,
        SettingsFrame f => f.Settings.Count * 6,
        PushPromiseFrame f => 4 + f.BlockFragment.Length + PaddingOverhead(f.PadLength),
        PingFrame => 8,
        GoAwayFrame f => 8 + f.DebugData.Length,
        WindowUpdateFrame => 4,
        ContinuationFrame f => f.BlockFragment.Length,
        UnknownFrame f => f.Payload.Length,
        _ => throw new ArgumentException($"unsupported frame record {frame.GetType().Name}", nameof(frame)),
    };

    public static int GetByteCount(Http2Frame frame) => Http2FrameHeader.Size + GetPayloadLength(frame);

    /// <summary>Writes header and payload; returns the number of bytes written.</summary>
    public static int Write(Http2Frame frame, IBufferWriter<byte> output)
    {
        var total = GetByteCount(frame);
        var span = output.GetSpan(total)[..total];
        Write(frame, span);
        output.Advance(total);
        return total;
    }

    public static void Write(Http2Frame frame, Span<byte> destination)
    {
        var payloadLength = GetPayloadLength(frame);
        new Http2FrameHeader(payloadLength, frame.TypeCode, (byte)frame.Flags, frame.StreamId).Write(destination);
        var payload = destination.Slice(Http2FrameHeader.Size, payloadLength);
        switch (frame)
        {
            case DataFrame f:
                WritePadded(payload, f.PadLength, f.Data.Span);
                break;
            case HeadersFrame f:
                WriteHeaders(payload, f);
                break;
            case PriorityFrame f:
                WritePriority(payload, f.Priority);
                break;
            case RstStreamFrame f:
                BinaryPrimitives.WriteUInt32BigEndian(payload, f.ErrorCode);
                break;
            case SettingsFrame f:
                for (var i = 0; i < f.Settings.Count; i++)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(payload[(i * 6)..], (ushort)f.Settings[i].Id);
                    BinaryPrimitives.WriteUInt32BigEndian(payload[(i * 6 + 2)..], f.Settings[i].Value);
                }

                break;
            case PushPromiseFrame f:
                WritePushPromise(payload, f);
                break;
            case PingFrame f:
                BinaryPrimitives.WriteUInt64BigEndian(payload, f.OpaqueData);
                break;
            case GoAwayFrame f:
                BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)f.LastStreamId & 0x7fff_ffff);
                BinaryPrimitives.WriteUInt32BigEndian(payload[4..], f.ErrorCode);
                f.DebugData.Span.CopyTo(payload[8..]);
                break;
            case WindowUpdateFrame f:
                BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)f.Increment & 0x7fff_ffff);
                break;
            case ContinuationFrame f:
                f.BlockFragment.Span.CopyTo(payload);
                break;
            case UnknownFrame f:
                f.Payload.Span.CopyTo(payload);
                break;
        }
    }

    private static int PaddingOverhead(int? padLength) => padLength is { } pad ? pad + 1 : 0;

    private static void WriteHeaders(Span<byte> payload, HeadersFrame frame)
    {
        var body = payload;
        if (frame.PadLength is { } pad)
        {
            body[0] = (byte)pad;
            body.Slice(body.Length - pad).Clear();
            body = body[1..^pad];
        }

        if (frame.Priority is { } priority)
        {
            WritePriority(body, priority);
            body = body[5..];
        }

        frame.BlockFragment.Span.CopyTo(body);
    }

    private static void WritePushPromise(Span<byte> payload, PushPromiseFrame frame)
    {
        var body = payload;
        if (frame.PadLength is { } pad)
        {
            body[0] = (byte)pad;
            body.Slice(body.Length - pad).Clear();
            body = body[1..^pad];
        }

        BinaryPrimitives.WriteUInt32BigEndian(body, (uint)frame.PromisedStreamId & 0x7fff_ffff);
        frame.BlockFragment.Span.CopyTo(body[4..]);
    }

    private static void WritePadded(Span<byte> payload, int? padLength, ReadOnlySpan<byte> content)
    {
        if (padLength is { } pad)
        {
            payload[0] = (byte)pad;
            content.CopyTo(payload[1..]);
            payload.Slice(1 + content.Length).Clear();
        }
        else
        {
            content.CopyTo(payload);
        }
    }

    private static void WritePriority(Span<byte> destination, Http2PriorityFields priority)
    {
        var word = (uint)priority.StreamDependency & 0x7fff_ffff;
        if (priority.Exclusive)
        {
            word |= 0x8000_0000;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, word);
        destination[4] = priority.Weight;
    }
}
