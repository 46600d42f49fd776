using System.Buffers;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Fuzz.Targets;

/// <summary>RFC 9204 Appendix B's encoder stream, field sections and decoder stream, and more made by our encoder.</summary>
public static class QpackSamples
{
    public const string B1Section = "0000 510b 2f69 6e64 6578 2e68 746d 6c";
    public const string B2EncoderStream = "3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468";
    public const string B2Section = "0381 10 11";
    public const string B3EncoderStream = "4a63 7573 746f 6d2d 6b65 790c 6375 7374 6f6d 2d76 616c 7565";
    public const string B4EncoderStream = "02";
    public const string B4Section = "0500 80 c1 81";
    public const string B5EncoderStream = "810d 6375 7374 6f6d 2d76 616c 7565 32";

    /// <summary>The decoder-stream instructions of Appendix B: Section Acknowledgment, Insert Count Increment, Stream Cancellation.</summary>
    public static readonly string[] DecoderStream = ["84", "01", "48", "88", "02"];

    public static readonly HeaderField Authority = new(":authority", "www.example.com");
    public static readonly HeaderField SamplePath = new(":path", "/sample/path");
    public static readonly HeaderField Custom = new("custom-key", "custom-value");

    /// <summary>An encoder and the (encoder stream, field sections) it wrote for a few requests, Huffman on or off.</summary>
    public static (byte[] EncoderStream, List<(long StreamId, byte[] Section)> Sections) Encode(bool huffman)
    {
        var encoder = new QpackEncoder(4096) { UseHuffman = huffman };
        encoder.ApplyPeerSettings(4096, 100);
        var sections = new List<(long, byte[])>();
        HeaderField[][] requests =
        [
            [new(":method", "GET"), new(":scheme", "https"), Authority, SamplePath, new("user-agent", "hxi"), new("cookie", "session=0123456789abcdefghij")],
            [new(":method", "POST"), new(":scheme", "https"), Authority, new(":path", "/upload"), new("content-type", "application/json"), new("authorization", "secret")],
            [new(":status", "200"), Custom, new("content-length", "12"), new("x-long", new string('v', 300))],
        ];
        for (int i = 0; i < requests.Length; i++)
        {
            var output = new ArrayBufferWriter<byte>();
            encoder.EncodeFieldSection(i * 4, requests[i], output);
            sections.Add((i * 4, output.WrittenSpan.ToArray()));
        }

        var stream = new ArrayBufferWriter<byte>();
        encoder.TransmitEncoderStream(stream);
        return (stream.WrittenSpan.ToArray(), sections);
    }
}
