using System.Buffers;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3;

/// <summary>Writes frames (RFC 9114 Section 7.1) exactly as given: no validation, so the REPL can send illegal ones.</summary>
public static class Http3FrameWriter
{
    /// <summary>Writes <paramref name="frame"/> and returns the byte count.</summary>
    public static int Write(Http3Frame frame, IBufferWriter<byte> output) => WriteRaw(frame.Type, Http3FrameCodec.GetPayload(frame), output);

    /// <summary>Writes a frame of any type with any payload.</summary>
    public static int WriteRaw(long type, ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        int header = WriteHeader(type, payload.Length, output);
        output.Write(payload);
        return header + payload.Length;
    }

    /// <summary>Writes a frame header alone, for DATA whose payload follows separately.</summary>
    public static int WriteHeader(long type, long payloadLength, IBufferWriter<byte> output)
    {
        int length = QuicVarint.GetByteCount((ulong)type) + QuicVarint.GetByteCount((ulong)payloadLength);
        Span<byte> span = output.GetSpan(length);
        int written = QuicVarint.Write(span, (ulong)type);
        written += QuicVarint.Write(span[written..], (ulong)payloadLength);
        output.Advance(written);
        return written;
    }

    public static byte[] ToArray(Http3Frame frame)
    {
        var output = new ArrayBufferWriter<byte>();
        Write(frame, output);
        return output.WrittenSpan.ToArray();
    }
}
