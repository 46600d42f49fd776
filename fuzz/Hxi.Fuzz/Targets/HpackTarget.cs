using System.Buffers;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Fuzz.Targets;

/// <summary>HPACK (RFC 7541): several field blocks decoded in turn against one dynamic table.</summary>
/// <remarks>Input: one option byte (table size, trace on or off), then blocks, each with a one-byte length.</remarks>
public static class HpackTarget
{
    private static readonly int[] TableSizes = [4096, 0, 256, 65_536];

    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        byte options = input.TakeByte();
        var decoder = new HpackDecoder(TableSizes[options & 3], maxHeaderListSize: 16 * 1024);
        var trace = (options & 4) != 0 ? new List<HpackFieldTrace>() : null;
        try
        {
            while (!input.IsEmpty)
            {
                foreach (var field in decoder.Decode(input.TakePiece(), trace))
                {
                    _ = field.ToString();
                }

                trace?.ForEach(entry => _ = entry.ToString());
                trace?.Clear();
            }
        }
        catch (HpackDecodingException)
        {
        }
    }

    /// <summary>RFC 7541 Appendix C: C.2 single representations, and C.3 to C.6 rebuilt with our encoder (the tests prove them byte-equal).</summary>
    public static IEnumerable<byte[]> Seeds()
    {
        yield return SeedBuilder.Pieces([0], SeedBuilder.Hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
        yield return SeedBuilder.Pieces([4], SeedBuilder.Hex("040c 2f73 616d 706c 652f 7061 7468"), SeedBuilder.Hex("1008 7061 7373 776f 7264 0673 6563 7265 74"), [0x82]);
        yield return SeedBuilder.Pieces([0], [0x3f, 0xe1, 0x1f, 0x82], [0x20, 0x82]);

        HeaderField[][] requests =
        [
            [new(":method", "GET"), new(":scheme", "http"), new(":path", "/"), new(":authority", "www.example.com")],
            [new(":method", "GET"), new(":scheme", "http"), new(":path", "/"), new(":authority", "www.example.com"), new("cache-control", "no-cache")],
            [new(":method", "GET"), new(":scheme", "https"), new(":path", "/index.html"), new(":authority", "www.example.com"), new("custom-key", "custom-value")],
        ];
        HeaderField[][] responses =
        [
            [new(":status", "302"), new("cache-control", "private"), new("date", "Mon, 21 Oct 2013 20:13:21 GMT"), new("location", "https://www.example.com")],
            [new(":status", "307"), new("cache-control", "private"), new("date", "Mon, 21 Oct 2013 20:13:21 GMT"), new("location", "https://www.example.com")],
            [new(":status", "200"), new("cache-control", "private"), new("date", "Mon, 21 Oct 2013 20:13:22 GMT"), new("location", "https://www.example.com"),
                new("content-encoding", "gzip"), new("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1")],
        ];
        foreach (bool huffman in new[] { false, true })
        {
            yield return SeedBuilder.Pieces([0], Encode(requests, huffman, 4096));
            yield return SeedBuilder.Pieces([2], Encode(responses, huffman, 256));
        }
    }

    private static byte[][] Encode(HeaderField[][] lists, bool huffman, int tableSize)
    {
        var encoder = new HpackEncoder(tableSize) { UseHuffman = huffman };
        return [.. lists.Select(list =>
        {
            var output = new ArrayBufferWriter<byte>();
            encoder.Encode(list, output);
            return output.WrittenSpan.ToArray();
        })];
    }
}
