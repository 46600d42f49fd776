using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Hpack;

/// <summary>Our encoder against our decoder over long random conversations, and every truncation of valid blocks.</summary>
public class HpackRoundTripTests
{
    private static readonly string[] Names =
    [
        ":method", ":path", ":authority", ":status", "accept", "cache-control", "content-type", "date", "etag",
        "cookie", "set-cookie", "authorization", "x-request-id", "x-custom", "x-a", "Mixed-Case", "",
    ];

    private static readonly int[] TableSizes = [0, 32, 64, 100, 256, 4096];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomHeaderListsRoundTripThroughASharedPair(int seed)
    {
        var random = new Random(seed);
        var encoder = new HpackEncoder { UseHuffman = seed != 2 };
        var decoder = new HpackDecoder(maxHeaderListSize: int.MaxValue);
        var recent = new List<HeaderField>();

        for (int block = 0; block < 1500; block++)
        {
            if (random.Next(10) == 0)
            {
                // What the connection does when the peer acknowledges a new SETTINGS_HEADER_TABLE_SIZE.
                int size = TableSizes[random.Next(TableSizes.Length)];
                decoder.MaxTableSize = size;
                encoder.SetPeerMaxTableSize(size);
            }

            List<HeaderField> fields = RandomList(random, recent);
            byte[] encoded = Encode(encoder, fields, out List<HpackFieldTrace> encoderTrace);
            var decoderTrace = new List<HpackFieldTrace>();

            Assert.Equal(fields, decoder.Decode(encoded, decoderTrace));
            Assert.Equal(encoder.Table.ToArray(), decoder.Table.ToArray());
            Assert.Equal(encoder.Table.Size, decoder.Table.Size);
            Assert.Equal(encoder.Table.MaxSize, decoder.Table.MaxSize);
            Assert.Equal(encoderTrace.Select(t => (t.Representation, t.Index)), decoderTrace.Select(t => (t.Representation, t.Index)));
        }
    }

    [Fact]
    public void AnEncoderWithASmallerCapStaysInStepWithTheDecoder()
    {
        // The encoder never announces its smaller cap, so its table must remain the newest part of the decoder's.
        var random = new Random(42);
        var encoder = new HpackEncoder(maxTableSize: 100);
        var decoder = new HpackDecoder(maxHeaderListSize: int.MaxValue);
        var recent = new List<HeaderField>();

        for (int block = 0; block < 1000; block++)
        {
            List<HeaderField> fields = RandomList(random, recent);
            Assert.Equal(fields, decoder.Decode(Encode(encoder, fields, out _)));
            Assert.Equal(encoder.Table.ToArray(), decoder.Table.Take(encoder.Table.Count).ToArray());
        }
    }

    [Fact]
    public void EveryTruncationOfAValidBlockDecodesAPrefixOrFailsCleanly()
    {
        string[][] conversations =
        [
            [Rfc7541ExampleTests.C31, Rfc7541ExampleTests.C32, Rfc7541ExampleTests.C33],
            [Rfc7541ExampleTests.C41, Rfc7541ExampleTests.C42, Rfc7541ExampleTests.C43],
            [Rfc7541ExampleTests.C51, Rfc7541ExampleTests.C52, Rfc7541ExampleTests.C53],
            [Rfc7541ExampleTests.C61, Rfc7541ExampleTests.C62, Rfc7541ExampleTests.C63],
            ["3f e1 01 3f e1 1f 82 86", "20 3f 61 82"],
        ];

        foreach (string[] conversation in conversations)
        {
            for (int blockIndex = 0; blockIndex < conversation.Length; blockIndex++)
            {
                byte[] block = Hex.Parse(conversation[blockIndex]);
                List<HeaderField> complete = Primed(conversation, blockIndex).Decode(block);

                for (int length = 0; length < block.Length; length++)
                {
                    HpackDecoder decoder = Primed(conversation, blockIndex);
                    try
                    {
                        List<HeaderField> partial = decoder.Decode(block.AsSpan(0, length));
                        Assert.Equal(complete.Take(partial.Count), partial);
                    }
                    catch (HpackDecodingException)
                    {
                    }
                }
            }
        }
    }

    [Fact]
    public void EveryTruncationOfRandomBlocksDecodesAPrefixOrFailsCleanly()
    {
        var random = new Random(7);
        var recent = new List<HeaderField>();
        for (int round = 0; round < 50; round++)
        {
            var encoder = new HpackEncoder(maxTableSize: 256);
            byte[] first = Encode(encoder, RandomList(random, recent), out _);
            byte[] second = Encode(encoder, RandomList(random, recent), out _);
            var reference = new HpackDecoder(maxTableSize: 256, maxHeaderListSize: int.MaxValue);
            reference.Decode(first);
            List<HeaderField> complete = reference.Decode(second);

            for (int length = 0; length < second.Length; length++)
            {
                var decoder = new HpackDecoder(maxTableSize: 256, maxHeaderListSize: int.MaxValue);
                decoder.Decode(first);
                try
                {
                    List<HeaderField> partial = decoder.Decode(second.AsSpan(0, length));
                    Assert.Equal(complete.Take(partial.Count), partial);
                }
                catch (HpackDecodingException)
                {
                }
            }
        }
    }

    private static HpackDecoder Primed(string[] conversation, int blockIndex)
    {
        var decoder = new HpackDecoder(maxTableSize: conversation[0].StartsWith("48", StringComparison.Ordinal) ? 256 : 4096);
        for (int i = 0; i < blockIndex; i++)
        {
            decoder.Decode(Hex.Parse(conversation[i]));
        }

        return decoder;
    }

    private static byte[] Encode(HpackEncoder encoder, IReadOnlyList<HeaderField> fields, out List<HpackFieldTrace> trace)
    {
        trace = [];
        return encoder.Encode(fields, trace);
    }

    private static List<HeaderField> RandomList(Random random, List<HeaderField> recent)
    {
        var fields = new List<HeaderField>();
        int count = random.Next(0, 12);
        for (int i = 0; i < count; i++)
        {
            HeaderField field = random.Next(3) == 0 && recent.Count > 0
                ? recent[random.Next(recent.Count)]
                : random.Next(8) == 0
                    ? HpackStaticTable.Get(random.Next(1, HpackStaticTable.Count + 1))
                    : new HeaderField(Names[random.Next(Names.Length)], RandomValue(random));
            fields.Add(field);
            recent.Add(field);
            if (recent.Count > 40)
            {
                recent.RemoveAt(0);
            }
        }

        return fields;
    }

    private static string RandomValue(Random random)
    {
        int length = random.Next(20) switch
        {
            0 => random.Next(500, 700),
            < 4 => 0,
            _ => random.Next(1, 40),
        };

        var chars = new char[length];
        bool binary = random.Next(5) == 0;
        for (int i = 0; i < length; i++)
        {
            chars[i] = binary ? (char)random.Next(256) : "abcdefghijklmnopqrstuvwxyz0123456789/?=&-_. "[random.Next(44)];
        }

        return new string(chars);
    }
}
