using System.Buffers;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Fuzz.Targets;

/// <summary>
/// An HTTP/2 connection fed the peer's byte stream: as a client with two requests open (stream 1 ended, stream 3
/// uploading), or as a server after the client preface. Connection and stream errors are handled inside the core,
/// so nothing at all may escape <see cref="Http2Connection.Receive(ReadOnlySpan{byte})"/>.
/// </summary>
/// <remarks>
/// Input: one option byte (bit 0: server role; bits 1-6: the transport's chunk size, 0 = whole; bit 7: the zero-copy
/// <c>Receive(ReadOnlyMemory)</c>), then the peer's bytes.
/// </remarks>
public static class Http2ConnectionTarget
{
    private static readonly HeaderField[] Request =
        [new(":method", "GET"), new(":scheme", "https"), new(":authority", "example.com"), new(":path", "/")];

    // More than one frame; a SETTINGS_INITIAL_WINDOW_SIZE below it makes the upload wait for WINDOW_UPDATE.
    private static readonly byte[] Upload = new byte[20_000];

    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        byte options = input.TakeByte();
        bool server = (options & 1) != 0;
        int chunk = (options >> 1) & 0x3f;
        bool zeroCopy = (options & 0x80) != 0;
        var connection = new Http2Connection(server
            ? new Http2ConnectionOptions { Role = Http2Role.Server, MaxConcurrentStreams = 100, MaxHeaderListSize = 16 * 1024 }
            : new Http2ConnectionOptions { EnablePush = true, MaxHeaderListSize = 16 * 1024 });
        connection.Start();
        if (server)
        {
            connection.Receive(Http2Preface.Bytes);
        }
        else
        {
            int get = connection.OpenStream();
            connection.SendHeaders(get, Request, endStream: true);
            int post = connection.OpenStream();
            connection.SendHeaders(post, [.. Request.Select(f => f.Name == ":method" ? new HeaderField(":method", "POST") : f)], endStream: false);
            connection.SendData(post, Upload, endStream: true);
        }

        var sink = new ArrayBufferWriter<byte>();
        FuzzInput.Feed(input.TakeAll(), chunk, bytes =>
        {
            if (zeroCopy)
            {
                connection.Receive(bytes.ToArray().AsMemory());
            }
            else
            {
                connection.Receive(bytes);
            }

            while (connection.TryPollEvent(out var e))
            {
                _ = e.ToString();
            }

            sink.ResetWrittenCount();
            connection.Transmit(sink);
        });
        _ = connection.GetStreamState(1);
    }

    /// <summary>A server's side of a conversation with pushes, trailers, a CONTINUATION split and flow control.</summary>
    public static IEnumerable<Http2Frame> SampleFrames()
    {
        var encoder = new HpackEncoder();
        byte[] Block(params HeaderField[] fields)
        {
            var output = new ArrayBufferWriter<byte>();
            encoder.Encode(fields, output);
            return output.WrittenSpan.ToArray();
        }

        var ok = Block(new(":status", "200"), new("content-type", "text/plain"), new("content-length", "5"));
        yield return new SettingsFrame(false, [new(Http2SettingId.MaxFrameSize, 16_384), new(Http2SettingId.InitialWindowSize, 8_192), new(Http2SettingId.HeaderTableSize, 4096)]);
        yield return SettingsFrame.Acknowledgement;
        yield return new WindowUpdateFrame(0, 1_000_000);
        yield return new HeadersFrame(1, ok, EndStream: false, EndHeaders: true);
        yield return new DataFrame(1, "hello"u8.ToArray(), EndStream: true);
        yield return new PushPromiseFrame(1, 2, Block(new(":method", "GET"), new(":scheme", "https"), new(":authority", "example.com"), new(":path", "/style.css")), EndHeaders: true);
        yield return new HeadersFrame(3, ok[..2], EndStream: false, EndHeaders: false, new Http2PriorityFields(false, 0, 15), PadLength: 3);
        yield return new ContinuationFrame(3, ok[2..], EndHeaders: true);
        yield return new DataFrame(3, "hello"u8.ToArray(), EndStream: false, PadLength: 7);
        yield return new HeadersFrame(3, Block(new HeaderField("grpc-status", "0")), EndStream: true, EndHeaders: true);
        yield return new PingFrame(false, 0x0102030405060708);
        yield return new RstStreamFrame(3, (uint)Http2ErrorCode.Cancel);
        yield return new PriorityFrame(5, new Http2PriorityFields(true, 3, 200));
        yield return new WindowUpdateFrame(3, 65_535);
        yield return new GoAwayFrame(3, (uint)Http2ErrorCode.NoError, "bye"u8.ToArray());
        yield return new UnknownFrame(0xfa, 0x01, 1, "ext"u8.ToArray());
    }

    public static IEnumerable<byte[]> Seeds()
    {
        var frames = SampleFrames().ToList();
        var output = new ArrayBufferWriter<byte>();
        foreach (var frame in frames)
        {
            Http2FrameWriter.Write(frame, output);
        }

        var conversation = output.WrittenSpan.ToArray();
        yield return [0, .. conversation];
        yield return [14, .. conversation];
        yield return [0x80, .. conversation];
        yield return [0x80 | 10, .. conversation];

        // The first three frames (SETTINGS, ACK, WINDOW_UPDATE) as the server's opening, then each frame alone.
        int opening = frames.Take(3).Sum(Http2FrameWriter.GetByteCount);
        var single = new ArrayBufferWriter<byte>();
        foreach (var frame in frames.Skip(3))
        {
            single.ResetWrittenCount();
            Http2FrameWriter.Write(frame, single);
            yield return [0, .. conversation[..opening], .. single.WrittenSpan];
        }

        // As a server: the client's SETTINGS and a request with a body.
        var client = new HpackEncoder();
        var request = new ArrayBufferWriter<byte>();
        client.Encode([new(":method", "POST"), new(":scheme", "https"), new(":authority", "example.com"), new(":path", "/upload"), new("content-length", "3")], request);
        output.ResetWrittenCount();
        Http2FrameWriter.Write(new SettingsFrame(false, [new(Http2SettingId.EnablePush, 0)]), output);
        Http2FrameWriter.Write(SettingsFrame.Acknowledgement, output);
        Http2FrameWriter.Write(new HeadersFrame(1, request.WrittenSpan.ToArray(), EndStream: false, EndHeaders: true), output);
        Http2FrameWriter.Write(new DataFrame(1, "abc"u8.ToArray(), EndStream: true), output);
        Http2FrameWriter.Write(new RstStreamFrame(1, (uint)Http2ErrorCode.Cancel), output);
        yield return [1, .. output.WrittenSpan];
    }
}
