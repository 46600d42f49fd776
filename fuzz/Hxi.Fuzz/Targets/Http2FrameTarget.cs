using System.Buffers;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;

namespace Hxi.Fuzz.Targets;

/// <summary>The HTTP/2 frame decoder (RFC 9113 Section 4 and 6): a byte stream cut into frames, each decoded, shown and written back.</summary>
public static class Http2FrameTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        var output = new ArrayBufferWriter<byte>();
        while (Http2FrameHeader.TryRead(data, out var header))
        {
            data = data[Http2FrameHeader.Size..];
            var payload = data[..Math.Min(header.Length, data.Length)];
            data = data[payload.Length..];
            try
            {
                var frame = Http2FrameDecoder.Decode(header, payload);
                _ = frame.ToString();
                Http2FrameWriter.Write(frame, output);
            }
            catch (Http2ConnectionException)
            {
            }
            catch (Http2StreamException)
            {
            }
        }
    }

    public static IEnumerable<byte[]> Seeds()
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var frame in Http2ConnectionTarget.SampleFrames())
        {
            output.ResetWrittenCount();
            Http2FrameWriter.Write(frame, output);
            yield return output.WrittenSpan.ToArray();
        }
    }
}
