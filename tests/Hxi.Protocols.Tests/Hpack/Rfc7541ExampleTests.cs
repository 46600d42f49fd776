using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;
using static Hxi.Protocols.Tests.Hpack.HpackTestSupport;

namespace Hxi.Protocols.Tests.Hpack;

/// <summary>RFC 7541 Appendix C.2 to C.6, decoded with our decoder and, where our policy agrees, re-encoded byte for byte.</summary>
public class Rfc7541ExampleTests
{
    private static readonly HeaderField Authority = new(":authority", "www.example.com");
    private static readonly HeaderField NoCache = new("cache-control", "no-cache");
    private static readonly HeaderField CustomValue = new("custom-key", "custom-value");
    private static readonly HeaderField Private = new("cache-control", "private");
    private static readonly HeaderField Date21 = new("date", "Mon, 21 Oct 2013 20:13:21 GMT");
    private static readonly HeaderField Date22 = new("date", "Mon, 21 Oct 2013 20:13:22 GMT");
    private static readonly HeaderField Location = new("location", "https://www.example.com");
    private static readonly HeaderField Status302 = new(":status", "302");
    private static readonly HeaderField Status307 = new(":status", "307");
    private static readonly HeaderField Gzip = new("content-encoding", "gzip");
    private static readonly HeaderField SetCookie = new("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1");

    private static readonly HeaderField[] Request1 = [new(":method", "GET"), new(":scheme", "http"), new(":path", "/"), Authority];
    private static readonly HeaderField[] Request2 = [.. Request1, NoCache];
    private static readonly HeaderField[] Request3 =
        [new(":method", "GET"), new(":scheme", "https"), new(":path", "/index.html"), Authority, CustomValue];

    private static readonly HeaderField[] Response1 = [Status302, Private, Date21, Location];
    private static readonly HeaderField[] Response2 = [Status307, Private, Date21, Location];
    private static readonly HeaderField[] Response3 = [new(":status", "200"), Private, Date22, Location, Gzip, SetCookie];

    [Fact]
    public void Rfc7541_C_2_1_LiteralWithIndexing()
    {
        var decoder = new HpackDecoder();
        HeaderField field = new("custom-key", "custom-header");
        const string Wire = "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572";

        Assert.Equal([field], decoder.Decode(Hex.Parse(Wire)));
        AssertTable(decoder.Table, 55, field);

        var encoder = new HpackEncoder { UseHuffman = false };
        Assert.Equal(Hex.Parse(Wire), encoder.Encode([field]));
    }

    [Fact]
    public void Rfc7541_C_2_2_LiteralWithoutIndexing()
    {
        var decoder = new HpackDecoder();

        Assert.Equal([new HeaderField(":path", "/sample/path")], decoder.Decode(Hex.Parse("040c 2f73 616d 706c 652f 7061 7468")));
        AssertTable(decoder.Table, 0);

        // Our encoder would index this :path (it has no query), so the RFC bytes are not reproduced here.
    }

    [Fact]
    public void Rfc7541_C_2_3_LiteralNeverIndexed()
    {
        var decoder = new HpackDecoder();
        var trace = new List<HpackFieldTrace>();

        Assert.Equal(
            [new HeaderField("password", "secret")],
            decoder.Decode(Hex.Parse("1008 7061 7373 776f 7264 0673 6563 7265 74"), trace));
        AssertTable(decoder.Table, 0);
        Assert.Equal(HpackRepresentation.LiteralNeverIndexed, Assert.Single(trace).Representation);

        // "password" is not on our encoder's sensitive list, so it would be indexed; no byte comparison.
    }

    [Fact]
    public void Rfc7541_C_2_4_IndexedField()
    {
        var decoder = new HpackDecoder();

        Assert.Equal([new HeaderField(":method", "GET")], decoder.Decode(Hex.Parse("82")));
        AssertTable(decoder.Table, 0);
        Assert.Equal(Hex.Parse("82"), new HpackEncoder().Encode([new HeaderField(":method", "GET")]));
    }

    [Fact]
    public void Rfc7541_C_3_RequestsWithoutHuffman()
    {
        var decoder = new HpackDecoder();

        // C.3.1
        Assert.Equal(Request1, decoder.Decode(Hex.Parse(C31)));
        AssertTable(decoder.Table, 57, Authority);

        // C.3.2
        Assert.Equal(Request2, decoder.Decode(Hex.Parse(C32)));
        AssertTable(decoder.Table, 110, NoCache, Authority);

        // C.3.3
        Assert.Equal(Request3, decoder.Decode(Hex.Parse(C33)));
        AssertTable(decoder.Table, 164, CustomValue, NoCache, Authority);
    }

    [Fact]
    public void Rfc7541_C_3_EncoderReproducesRequestsWithoutHuffman()
    {
        var encoder = new HpackEncoder { UseHuffman = false };

        Assert.Equal(Hex.Format(Hex.Parse(C31)), Hex.Format(encoder.Encode(Request1)));
        Assert.Equal(Hex.Format(Hex.Parse(C32)), Hex.Format(encoder.Encode(Request2)));
        Assert.Equal(Hex.Format(Hex.Parse(C33)), Hex.Format(encoder.Encode(Request3)));
        AssertTable(encoder.Table, 164, CustomValue, NoCache, Authority);
    }

    [Fact]
    public void Rfc7541_C_4_RequestsWithHuffman()
    {
        var decoder = new HpackDecoder();

        // C.4.1
        Assert.Equal(Request1, decoder.Decode(Hex.Parse(C41)));
        AssertTable(decoder.Table, 57, Authority);

        // C.4.2
        Assert.Equal(Request2, decoder.Decode(Hex.Parse(C42)));
        AssertTable(decoder.Table, 110, NoCache, Authority);

        // C.4.3
        Assert.Equal(Request3, decoder.Decode(Hex.Parse(C43)));
        AssertTable(decoder.Table, 164, CustomValue, NoCache, Authority);
    }

    [Fact]
    public void Rfc7541_C_4_EncoderReproducesRequestsWithHuffman()
    {
        var encoder = new HpackEncoder();

        Assert.Equal(Hex.Format(Hex.Parse(C41)), Hex.Format(encoder.Encode(Request1)));
        Assert.Equal(Hex.Format(Hex.Parse(C42)), Hex.Format(encoder.Encode(Request2)));
        Assert.Equal(Hex.Format(Hex.Parse(C43)), Hex.Format(encoder.Encode(Request3)));
        AssertTable(encoder.Table, 164, CustomValue, NoCache, Authority);
    }

    [Fact]
    public void Rfc7541_C_5_ResponsesWithoutHuffman()
    {
        var decoder = new HpackDecoder(maxTableSize: 256);

        // C.5.1
        Assert.Equal(Response1, decoder.Decode(Hex.Parse(C51)));
        AssertTable(decoder.Table, 222, Location, Date21, Private, Status302);

        // C.5.2: (":status", "302") is evicted to make room for (":status", "307").
        Assert.Equal(Response2, decoder.Decode(Hex.Parse(C52)));
        AssertTable(decoder.Table, 222, Status307, Location, Date21, Private);

        // C.5.3: several evictions.
        Assert.Equal(Response3, decoder.Decode(Hex.Parse(C53)));
        AssertTable(decoder.Table, 215, SetCookie, Gzip, Date22);
    }

    [Fact]
    public void Rfc7541_C_5_EncoderReproducesResponsesWithoutHuffman()
    {
        var encoder = new HpackEncoder(maxTableSize: 256) { UseHuffman = false };

        Assert.Equal(Hex.Format(Hex.Parse(C51)), Hex.Format(encoder.Encode(Response1)));
        Assert.Equal(Hex.Format(Hex.Parse(C52)), Hex.Format(encoder.Encode(Response2)));

        // C.5.3 indexes set-cookie; our policy never indexes it (RFC 7541 Section 7.1.3), so check by round trip.
        AssertRoundTripsAfter(encoder, new HpackDecoder(256), [C51, C52], Response3);
    }

    [Fact]
    public void Rfc7541_C_6_ResponsesWithHuffman()
    {
        var decoder = new HpackDecoder(maxTableSize: 256);

        // C.6.1
        Assert.Equal(Response1, decoder.Decode(Hex.Parse(C61)));
        AssertTable(decoder.Table, 222, Location, Date21, Private, Status302);

        // C.6.2
        Assert.Equal(Response2, decoder.Decode(Hex.Parse(C62)));
        AssertTable(decoder.Table, 222, Status307, Location, Date21, Private);

        // C.6.3
        Assert.Equal(Response3, decoder.Decode(Hex.Parse(C63)));
        AssertTable(decoder.Table, 215, SetCookie, Gzip, Date22);
    }

    [Fact]
    public void Rfc7541_C_6_EncoderReproducesResponsesWithHuffman()
    {
        var encoder = new HpackEncoder(maxTableSize: 256);

        Assert.Equal(Hex.Format(Hex.Parse(C61)), Hex.Format(encoder.Encode(Response1)));

        // C.6.2 Huffman-codes "307" although it is no shorter (3 bytes either way); we send ties raw,
        // so the block differs in that one string. C.6.3 indexes set-cookie, which we never do.
        var decoder = new HpackDecoder(256);
        decoder.Decode(Hex.Parse(C61));
        byte[] second = encoder.Encode(Response2);
        Assert.Equal("4803333037c1c0bf", Hex.Format(second));
        Assert.Equal(Response2, decoder.Decode(second));
        Assert.Equal(Response3, decoder.Decode(encoder.Encode(Response3)));
        Assert.Equal(encoder.Table.ToArray(), decoder.Table.ToArray());
    }

    private static void AssertRoundTripsAfter(HpackEncoder encoder, HpackDecoder decoder, string[] earlierBlocks, HeaderField[] fields)
    {
        foreach (string block in earlierBlocks)
        {
            decoder.Decode(Hex.Parse(block));
        }

        Assert.Equal(fields, decoder.Decode(encoder.Encode(fields)));
        Assert.Equal(encoder.Table.ToArray(), decoder.Table.ToArray());
    }

    internal const string C31 = "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d";
    internal const string C32 = "8286 84be 5808 6e6f 2d63 6163 6865";
    internal const string C33 = "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65";
    internal const string C41 = "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff";
    internal const string C42 = "8286 84be 5886 a8eb 1064 9cbf";
    internal const string C43 = "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf";

    internal const string C51 =
        "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d " +
        "546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d";
    internal const string C52 = "4803 3330 37c1 c0bf";
    internal const string C53 =
        "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f " +
        "6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b " +
        "2076 6572 7369 6f6e 3d31";

    internal const string C61 =
        "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 " +
        "8f0b 97c8 e9ae 82ae 43d3";
    internal const string C62 = "4883 640e ffc1 c0bf";
    internal const string C63 =
        "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 " +
        "dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07";
}
