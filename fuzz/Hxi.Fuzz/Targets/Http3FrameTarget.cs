using System.Buffers;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;

namespace Hxi.Fuzz.Targets;

/// <summary>HTTP/3 frames (RFC 9114 Section 7): one stream's bytes read frame by frame, split anywhere, each frame shown and written back.</summary>
/// <remarks>Input: one option byte (chunk size, 0 = whole), then the stream's bytes.</remarks>
public static class Http3FrameTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        byte options = input.TakeByte();
        var reader = new Http3FrameReader(maxFramePayload: 16 * 1024);
        var output = new ArrayBufferWriter<byte>();
        try
        {
            FuzzInput.Feed(input.TakeAll(), options, bytes =>
            {
                while (!bytes.IsEmpty)
                {
                    var status = reader.Read(ref bytes, out var frame, out _);
                    if (status == Http3ReadStatus.Frame)
                    {
                        _ = frame!.ToString();
                        output.ResetWrittenCount();
                        Http3FrameWriter.Write(frame, output);
                        _ = Http3FrameCodec.ParsePayloadUnchecked(frame.Type, Http3FrameCodec.GetPayload(frame));
                    }
                    else if (status == Http3ReadStatus.NeedMoreData)
                    {
                        break;
                    }
                }
            });
        }
        catch (Http3ConnectionException)
        {
        }
    }

    public static IEnumerable<Http3Frame> SampleFrames()
    {
        var (_, sections) = QpackSamples.Encode(huffman: true);
        yield return new SettingsFrame([new(Http3SettingId.QpackMaxTableCapacity, 4096), new(Http3SettingId.QpackBlockedStreams, 100), new(Http3SettingId.MaxFieldSectionSize, 65_536), new(0x1f * 3 + 0x21, 7)]);
        yield return new HeadersFrame(sections[0].Section);
        yield return new DataFrame("hello"u8.ToArray());
        yield return new HeadersFrame(SeedBuilder.Hex(QpackSamples.B1Section));
        yield return new PushPromiseFrame(3, SeedBuilder.Hex(QpackSamples.B1Section));
        yield return new CancelPushFrame(2);
        yield return new GoAwayFrame(8);
        yield return new MaxPushIdFrame(99);
        yield return new PriorityUpdateFrame(false, 0, "u=1, i");
        yield return new PriorityUpdateFrame(true, 3, "u=5");
        yield return new UnknownFrame(0x21, "grease"u8.ToArray());
    }

    public static IEnumerable<byte[]> Seeds()
    {
        var all = new List<byte>();
        foreach (var frame in SampleFrames())
        {
            var bytes = Http3FrameWriter.ToArray(frame);
            all.AddRange(bytes);
            yield return [0, .. bytes];
        }

        yield return [0, .. all];
        yield return [3, .. all];
    }
}
