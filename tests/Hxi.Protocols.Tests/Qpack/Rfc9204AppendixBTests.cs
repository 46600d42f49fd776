using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;
using static Hxi.Protocols.Tests.Qpack.QpackTestSupport;

namespace Hxi.Protocols.Tests.Qpack;

/// <summary>
/// RFC 9204 Appendix B: the examples run in order through one decoder (encoder-stream and decoder-stream bytes
/// fed whole and one byte at a time) and re-encoded byte for byte by our encoder with Huffman off.
/// </summary>
public class Rfc9204AppendixBTests
{
    private const string B1Section = "0000 510b 2f69 6e64 6578 2e68 746d 6c";
    private const string B2EncoderStream = "3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468";
    private const string B2Section = "0381 10 11";
    private const string B3EncoderStream = "4a63 7573 746f 6d2d 6b65 790c 6375 7374 6f6d 2d76 616c 7565";
    private const string B4EncoderStream = "02";
    private const string B4Section = "0500 80 c1 81";
    private const string B5EncoderStream = "810d 6375 7374 6f6d 2d76 616c 7565 32";

    private static readonly HeaderField Authority = new(":authority", "www.example.com");
    private static readonly HeaderField SamplePath = new(":path", "/sample/path");
    private static readonly HeaderField Custom = new("custom-key", "custom-value");

    // Any capacity of at least 4 entries gives the appendix's Required Insert Count encodings; 220 is the one it sets.
    private readonly QpackDecoder _decoder = new(maxTableCapacity: 220);
    private readonly QpackEncoder _encoder = new(maxTableCapacity: 220) { UseHuffman = false };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rfc9204_B_1_LiteralFieldLineWithNameReference(bool byteByByte)
    {
        _ = byteByByte;
        Assert.Equal([new HeaderField(":path", "/index.html")], _decoder.Decode(0, B1Section));
        Assert.Equal("", _decoder.DecoderStream());
        AssertTable(_decoder.Table, 0);

        Assert.Equal(Hex.Parse(B1Section), _encoder.Encode(0, new HeaderField(":path", "/index.html")));
        Assert.Equal("", _encoder.EncoderStream());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rfc9204_B_2_DynamicTable(bool byteByByte)
    {
        RunB2(byteByByte);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rfc9204_B_3_SpeculativeInsert(bool byteByByte)
    {
        RunB2(byteByByte);
        RunB3(byteByByte);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rfc9204_B_4_DuplicateInstructionStreamCancellation(bool byteByByte)
    {
        RunB2(byteByByte);
        RunB3(byteByByte);
        RunB4(byteByByte);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rfc9204_B_5_DynamicTableInsertEviction(bool byteByByte)
    {
        RunB2(byteByByte);
        RunB3(byteByByte);
        RunB4(byteByByte);

        Feed(B5EncoderStream, byteByByte, b => _decoder.ReceiveEncoderStream(b));
        AssertTable(
            _decoder.Table, 215,
            (1, ":path", "/sample/path"), (2, "custom-key", "custom-value"), (3, ":authority", "www.example.com"), (4, "custom-key", "custom-value2"));

        // Entry 0 is acknowledged and unreferenced since the cancellation, so the encoder may evict it.
        Assert.True(_encoder.TryInsert(new HeaderField("custom-key", "custom-value2"), out long inserted));
        Assert.Equal(4, inserted);
        Assert.Equal(Hex.Format(Hex.Parse(B5EncoderStream)), _encoder.EncoderStream());
        AssertTable(
            _encoder.Table, 215,
            (1, ":path", "/sample/path"), (2, "custom-key", "custom-value"), (3, ":authority", "www.example.com"), (4, "custom-key", "custom-value2"));

        // Our decoder acknowledges the two inserts it has not confirmed yet (the Duplicate and this one) at once.
        Assert.Equal("02", _decoder.DecoderStream());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rfc9204_B_4_BlockedSectionIsReleasedWhenTheDuplicateArrives(bool byteByByte)
    {
        RunB2(byteByByte);
        RunB3(byteByByte);

        Assert.False(_decoder.TryDecode(8, Hex.Parse(B4Section), out _));
        Assert.Equal(1, _decoder.BlockedStreamCount);
        Assert.False(_decoder.TryPollUnblocked(out _));

        Feed(B4EncoderStream, byteByByte, b => _decoder.ReceiveEncoderStream(b));
        Assert.True(_decoder.TryPollUnblocked(out var section));
        Assert.Equal(8, section.StreamId);
        Assert.Equal([Authority, new HeaderField(":path", "/"), Custom], section.Fields);
        Assert.Equal(0, _decoder.BlockedStreamCount);

        // The acknowledgment covers the Duplicate, so no Insert Count Increment is needed.
        Assert.Equal("88", _decoder.DecoderStream());
    }

    private void RunB2(bool byteByByte)
    {
        _encoder.ApplyPeerSettings(maxTableCapacity: 220, blockedStreams: 100);
        Assert.Equal(Hex.Parse(B2Section), _encoder.Encode(4, Authority, SamplePath));
        Assert.Equal(Hex.Format(Hex.Parse(B2EncoderStream)), _encoder.EncoderStream());
        Assert.Equal(1, _encoder.GetReferenceCount(0));
        Assert.Equal(1, _encoder.GetReferenceCount(1));
        Assert.Equal(1, _encoder.BlockedStreamCount);

        Feed(B2EncoderStream, byteByByte, b => _decoder.ReceiveEncoderStream(b));
        AssertTable(_decoder.Table, 106, (0, ":authority", "www.example.com"), (1, ":path", "/sample/path"));
        Assert.Equal(220, _decoder.Table.Capacity);
        Assert.Equal([Authority, SamplePath], _decoder.Decode(4, B2Section));
        Assert.Equal("84", _decoder.DecoderStream());

        Feed("84", byteByByte, b => _encoder.ReceiveDecoderStream(b));
        Assert.Equal(2, _encoder.KnownReceivedCount);
        Assert.Equal(0, _encoder.GetReferenceCount(0));
        Assert.Equal(0, _encoder.BlockedStreamCount);
    }

    private void RunB3(bool byteByByte)
    {
        Assert.True(_encoder.TryInsert(Custom, out long inserted));
        Assert.Equal(2, inserted);
        Assert.Equal(Hex.Format(Hex.Parse(B3EncoderStream)), _encoder.EncoderStream());

        Feed(B3EncoderStream, byteByByte, b => _decoder.ReceiveEncoderStream(b));
        AssertTable(_decoder.Table, 160, (0, ":authority", "www.example.com"), (1, ":path", "/sample/path"), (2, "custom-key", "custom-value"));
        Assert.Equal("01", _decoder.DecoderStream());

        Feed("01", byteByByte, b => _encoder.ReceiveDecoderStream(b));
        Assert.Equal(3, _encoder.KnownReceivedCount);
    }

    private void RunB4(bool byteByByte)
    {
        Assert.True(_encoder.TryDuplicate(0, out long copy));
        Assert.Equal(3, copy);
        Assert.Equal("02", _encoder.EncoderStream());
        Assert.Equal(Hex.Parse(B4Section), _encoder.Encode(8, Authority, new HeaderField(":path", "/"), Custom));
        Assert.Equal(1, _encoder.GetReferenceCount(2));
        Assert.Equal(1, _encoder.GetReferenceCount(3));

        // The encoder-stream packet is late: the section blocks, and the decoder gives up on the stream.
        Assert.False(_decoder.TryDecode(8, Hex.Parse(B4Section), out _));
        Assert.True(_decoder.IsBlocked(8));
        _decoder.CancelStream(8);
        Assert.Equal("48", _decoder.DecoderStream());

        Feed("48", byteByByte, b => _encoder.ReceiveDecoderStream(b));
        Assert.Equal(0, _encoder.GetReferenceCount(2));
        Assert.Equal(0, _encoder.GetReferenceCount(3));
        Assert.Equal(3, _encoder.KnownReceivedCount);

        Feed(B4EncoderStream, byteByByte, b => _decoder.ReceiveEncoderStream(b));
        AssertTable(
            _decoder.Table, 217,
            (0, ":authority", "www.example.com"), (1, ":path", "/sample/path"), (2, "custom-key", "custom-value"), (3, ":authority", "www.example.com"));
        Assert.False(_decoder.TryPollUnblocked(out _));
    }
}
