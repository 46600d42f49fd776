using System.Buffers;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Fuzz.Targets;

/// <summary>
/// An HTTP/3 connection fed stream bytes, resets and STOP_SENDING on the peer's control, QPACK and push streams and
/// on request streams. Connection and stream errors are handled inside the core: nothing may escape it.
/// </summary>
/// <remarks>
/// Input: one option byte (bit 0: server role), then records of a selector byte and a one-byte-length piece.
/// Selector bits 0-2 pick the stream (<see cref="ClientStreams"/> or <see cref="ServerStreams"/>), bit 3 is FIN,
/// bits 4-5: 1 reset the stream, 2 STOP_SENDING, else the piece is stream data.
/// </remarks>
public static class Http3ConnectionTarget
{
    /// <summary>As a client: our request streams 0 and 4, the server's uni streams 3, 7, 11, 15, its (illegal) bidi 1, our own uni 2.</summary>
    public static readonly long[] ClientStreams = [0, 4, 3, 7, 11, 15, 1, 2];

    /// <summary>As a server: the client's request streams 0 and 4, its uni streams 2, 6, 10, 14, our own bidi 1 and uni 3.</summary>
    public static readonly long[] ServerStreams = [0, 4, 2, 6, 10, 14, 1, 3];

    private static readonly HeaderField[] Request =
        [new(":method", "GET"), new(":scheme", "https"), new(":authority", "example.com"), new(":path", "/")];

    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        bool server = (input.TakeByte() & 1) != 0;
        var connection = new Http3Connection(server ? Http3Role.Server : Http3Role.Client, new Http3ConnectionOptions { MaxPushId = 4, MaxFieldSectionSize = 16 * 1024 });
        connection.Start();
        if (!server)
        {
            connection.SendRequest(Request, endStream: true);
            long upload = connection.SendRequest([.. Request.Select(f => f.Name == ":method" ? new HeaderField(":method", "POST") : f)], endStream: false);
            connection.SendData(upload, "body"u8, endStream: false);
        }

        var streams = server ? ServerStreams : ClientStreams;
        Drain(connection);
        while (!input.IsEmpty)
        {
            byte selector = input.TakeByte();
            long streamId = streams[selector & 7];
            var piece = input.TakePiece();
            switch ((selector >> 4) & 3)
            {
                case 1:
                    connection.ReceiveStreamReset(streamId, (ulong)Http3ErrorCode.RequestCancelled);
                    break;
                case 2:
                    connection.ReceiveStopSending(streamId, (ulong)Http3ErrorCode.NoError);
                    break;
                default:
                    connection.ReceiveStreamData(streamId, piece, (selector & 8) != 0);
                    break;
            }

            Drain(connection);
        }
    }

    private static void Drain(Http3Connection connection)
    {
        while (connection.TryPollEvent(out var e))
        {
            _ = e.ToString();
        }

        while (connection.TryPollStreamWrite(out var write))
        {
            _ = write.ToString();
        }
    }

    private static byte[] Record(int selector, params byte[][] parts) => SeedBuilder.Pieces([(byte)selector], SeedBuilder.Concat(parts));

    private static byte[] Frame(Http3Frame frame) => Http3FrameWriter.ToArray(frame);

    public static IEnumerable<byte[]> Seeds()
    {
        // The server's encoder and the response it encodes for stream 0, and a pushed response.
        var encoder = new QpackEncoder(4096);
        encoder.ApplyPeerSettings(4096, 100);
        var response = new ArrayBufferWriter<byte>();
        encoder.EncodeFieldSection(0, [new(":status", "200"), new("content-type", "text/plain"), new("content-length", "5")], response);
        var promise = new ArrayBufferWriter<byte>();
        encoder.EncodeFieldSection(0, [.. Request.Select(f => f.Name == ":path" ? new HeaderField(":path", "/style.css") : f)], promise);
        var pushed = new ArrayBufferWriter<byte>();
        encoder.EncodeFieldSection(15, [new(":status", "200")], pushed);
        var encoderStream = new ArrayBufferWriter<byte>();
        encoder.TransmitEncoderStream(encoderStream);

        var settings = Frame(new SettingsFrame([new(Http3SettingId.QpackMaxTableCapacity, 4096), new(Http3SettingId.QpackBlockedStreams, 100)]));
        byte[] control = Record(2, [0x00], settings);
        yield return SeedBuilder.Concat(
            [0],
            control,
            Record(3, [0x02], encoderStream.WrittenSpan.ToArray()),
            Record(4, [0x03]),
            Record(0, Frame(new HeadersFrame(response.WrittenSpan.ToArray())), Frame(new DataFrame("hello"u8.ToArray()))),
            Record(0, Frame(new PushPromiseFrame(1, promise.WrittenSpan.ToArray()))),
            Record(8 | 0, Frame(new HeadersFrame(SeedBuilder.Hex("0000d9")))),
            Record(5, [0x01, 0x01], Frame(new HeadersFrame(pushed.WrittenSpan.ToArray())), Frame(new DataFrame("body{}"u8.ToArray()))),
            Record(2, Frame(new CancelPushFrame(2)), Frame(new GoAwayFrame(4))));
        yield return SeedBuilder.Concat([0], control, Record(1, Frame(new HeadersFrame(SeedBuilder.Hex(QpackSamples.B1Section)))), Record(0x11, []), Record(0x20, []));
        yield return SeedBuilder.Concat([0], Record(3, [0x02], SeedBuilder.Hex(QpackSamples.B2EncoderStream)), Record(1, Frame(new HeadersFrame(SeedBuilder.Hex(QpackSamples.B2Section)))), control);

        // As a server: the client's control stream and a request with a body and trailers.
        var client = new QpackEncoder(0);
        client.ApplyPeerSettings(0, 0);
        var request = new ArrayBufferWriter<byte>();
        client.EncodeFieldSection(0, [.. Request.Select(f => f.Name == ":method" ? new HeaderField(":method", "POST") : f)], request);
        var trailers = new ArrayBufferWriter<byte>();
        client.EncodeFieldSection(0, [new("x-checksum", "abc")], trailers);
        yield return SeedBuilder.Concat(
            [1],
            Record(2, [0x00], Frame(new SettingsFrame([new(Http3SettingId.QpackMaxTableCapacity, 0)])), Frame(new MaxPushIdFrame(3)), Frame(new PriorityUpdateFrame(false, 0, "u=2"))),
            Record(0, Frame(new HeadersFrame(request.WrittenSpan.ToArray())), Frame(new DataFrame("abc"u8.ToArray()))),
            Record(8, Frame(new HeadersFrame(trailers.WrittenSpan.ToArray()))),
            Record(1, Frame(new HeadersFrame(request.WrittenSpan.ToArray()))),
            Record(0x21, []));
    }
}
