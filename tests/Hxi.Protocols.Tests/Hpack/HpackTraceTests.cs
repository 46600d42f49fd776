using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;
using static Hxi.Protocols.Tests.Hpack.HpackTestSupport;

namespace Hxi.Protocols.Tests.Hpack;

/// <summary>The per-representation trace behind the --hpack view, checked against RFC 7541 C.5.</summary>
public class HpackTraceTests
{
    private static readonly HeaderField Private = new("cache-control", "private");
    private static readonly HeaderField Date21 = new("date", "Mon, 21 Oct 2013 20:13:21 GMT");
    private static readonly HeaderField Location = new("location", "https://www.example.com");
    private static readonly HeaderField Status307 = new(":status", "307");

    [Fact]
    public void DecoderTracesRepresentationsAndEvictionsOfRfc7541_C_5()
    {
        var decoder = new HpackDecoder(maxTableSize: 256);

        var first = new List<HpackFieldTrace>();
        decoder.Decode(Hex.Parse(Rfc7541ExampleTests.C51), first);
        Assert.Equal(
            [
                (HpackRepresentation.LiteralWithIncrementalIndexing, 8, 0),
                (HpackRepresentation.LiteralWithIncrementalIndexing, 24, 0),
                (HpackRepresentation.LiteralWithIncrementalIndexing, 33, 0),
                (HpackRepresentation.LiteralWithIncrementalIndexing, 46, 0),
            ],
            first.Select(Summary));
        Assert.Equal("4803333032", Hex.Format(first[0].Encoded.Span));
        Assert.Equal("580770726976617465", Hex.Format(first[1].Encoded.Span));
        Assert.Equal(Hex.Parse(Rfc7541ExampleTests.C51), first.SelectMany(t => t.Encoded.ToArray()));

        // C.5.2: inserting :status 307 evicts :status 302; the rest are indexed from the dynamic table.
        var second = new List<HpackFieldTrace>();
        decoder.Decode(Hex.Parse(Rfc7541ExampleTests.C52), second);
        Assert.Equal(
            [
                (HpackRepresentation.LiteralWithIncrementalIndexing, 8, 1),
                (HpackRepresentation.Indexed, 65, 0),
                (HpackRepresentation.Indexed, 64, 0),
                (HpackRepresentation.Indexed, 63, 0),
            ],
            second.Select(Summary));
        Assert.Equal(["4803333037", "c1", "c0", "bf"], second.Select(t => Hex.Format(t.Encoded.Span)));
        Assert.Equal([new HeaderField(":status", "302")], second[0].Evicted);
        Assert.Equal(Status307, second[0].Field);

        // C.5.3: the new date evicts cache-control, content-encoding evicts the old date, set-cookie evicts two.
        var third = new List<HpackFieldTrace>();
        decoder.Decode(Hex.Parse(Rfc7541ExampleTests.C53), third);
        Assert.Equal(
            [HpackRepresentation.Indexed, HpackRepresentation.Indexed, HpackRepresentation.LiteralWithIncrementalIndexing,
                HpackRepresentation.Indexed, HpackRepresentation.LiteralWithIncrementalIndexing, HpackRepresentation.LiteralWithIncrementalIndexing],
            third.Select(t => t.Representation));
        Assert.Equal([8, 65, 33, 64, 26, 55], third.Select(t => t.Index));
        Assert.Equal([Private], third[2].Evicted);
        Assert.Equal([Date21], third[4].Evicted);
        Assert.Equal([Location, Status307], third[5].Evicted);
        Assert.All(third, t => Assert.False(t.NameHuffman || t.ValueHuffman));
        Assert.Equal(Hex.Parse(Rfc7541ExampleTests.C53), third.SelectMany(t => t.Encoded.ToArray()));
    }

    [Fact]
    public void DecoderTracesHuffmanFlagsAndLiteralNames()
    {
        var decoder = new HpackDecoder();
        decoder.Decode(Hex.Parse(Rfc7541ExampleTests.C41));
        decoder.Decode(Hex.Parse(Rfc7541ExampleTests.C42));
        var trace = new List<HpackFieldTrace>();
        decoder.Decode(Hex.Parse(Rfc7541ExampleTests.C43), trace);

        HpackFieldTrace custom = trace[^1];
        Assert.Equal(HpackRepresentation.LiteralWithIncrementalIndexing, custom.Representation);
        Assert.Equal(0, custom.Index);
        Assert.True(custom.NameHuffman);
        Assert.True(custom.ValueHuffman);
        Assert.Equal(new HeaderField("custom-key", "custom-value"), custom.Field);
    }

    [Fact]
    public void DecoderTracesSizeUpdatesWithTheirEvictions()
    {
        var decoder = new HpackDecoder(maxTableSize: 256);
        decoder.Decode(Hex.Parse(Rfc7541ExampleTests.C51));

        var trace = new List<HpackFieldTrace>();
        decoder.Decode(Hex.Parse("3f 61 20 82"), trace);

        Assert.Equal(HpackRepresentation.DynamicTableSizeUpdate, trace[0].Representation);
        Assert.Equal(128, trace[0].Index);
        Assert.Equal(default, trace[0].Field);
        Assert.Equal("3f61", Hex.Format(trace[0].Encoded.Span));
        Assert.Equal([new HeaderField(":status", "302"), Private], trace[0].Evicted);

        Assert.Equal((HpackRepresentation.DynamicTableSizeUpdate, 0), (trace[1].Representation, trace[1].Index));
        Assert.Equal([Date21, Location], trace[1].Evicted);
        Assert.Equal(HpackRepresentation.Indexed, trace[2].Representation);
        AssertTable(decoder.Table, 0);
    }

    [Fact]
    public void EncoderTraceMatchesWhatTheDecoderSees()
    {
        var encoder = new HpackEncoder(maxTableSize: 256);
        var decoder = new HpackDecoder(maxTableSize: 256);
        HeaderField[][] lists =
        [
            [new(":status", "302"), Private, Date21, Location],
            [Status307, Private, Date21, Location],
            [new(":status", "200"), Private, new("date", "Mon, 21 Oct 2013 20:13:22 GMT"), Location, new("content-encoding", "gzip"),
                new("authorization", "Basic xyz")],
        ];

        foreach (HeaderField[] fields in lists)
        {
            var encoderTrace = new List<HpackFieldTrace>();
            var decoderTrace = new List<HpackFieldTrace>();
            byte[] block = encoder.Encode(fields, encoderTrace);
            decoder.Decode(block, decoderTrace);

            Assert.Equal(block, encoderTrace.SelectMany(t => t.Encoded.ToArray()));
            Assert.Equal(decoderTrace.Select(Comparable), encoderTrace.Select(Comparable));
        }
    }

    [Fact]
    public void EncoderTracesSizeUpdates()
    {
        var encoder = new HpackEncoder();
        encoder.Encode([new HeaderField("x-a", "1"), new HeaderField("x-b", "2")]);
        encoder.SetPeerMaxTableSize(0);
        encoder.SetPeerMaxTableSize(100);

        var trace = new List<HpackFieldTrace>();
        byte[] block = encoder.Encode([new HeaderField(":method", "GET")], trace);

        Assert.Equal("203f4582", Hex.Format(block));
        Assert.Equal(
            [(HpackRepresentation.DynamicTableSizeUpdate, 0), (HpackRepresentation.DynamicTableSizeUpdate, 100), (HpackRepresentation.Indexed, 2)],
            trace.Select(t => (t.Representation, t.Index)));
        Assert.Equal([new HeaderField("x-a", "1"), new HeaderField("x-b", "2")], trace[0].Evicted);
        Assert.Empty(trace[1].Evicted);
    }

    private static (HpackRepresentation, int, int) Summary(HpackFieldTrace trace) =>
        (trace.Representation, trace.Index, trace.Evicted.Count);

    private static string Comparable(HpackFieldTrace trace) =>
        $"{trace.Representation} {trace.Field} {trace.Index} {trace.NameHuffman} {trace.ValueHuffman} " +
        $"{Hex.Format(trace.Encoded.Span)} [{string.Join(", ", trace.Evicted)}]";
}
