using System.Buffers;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Qpack;

/// <summary>RFC 9204 Sections 2.1.1, 2.1.2 and 2.2.1: blocked streams on both sides, and evictions the encoder refuses.</summary>
public class QpackBlockingAndEvictionTests
{
    private static readonly HeaderField Custom = new("x-custom", "a value long enough to index");

    [Fact]
    public void Rfc9204_2_2_1_SectionArrivingBeforeItsInsertWaitsAndIsReleased()
    {
        var encoder = new QpackEncoder();
        var decoder = new QpackDecoder();
        encoder.ApplyPeerSettings(decoder.MaxTableCapacity, decoder.MaxBlockedStreams);
        byte[] section = encoder.Encode(0, new HeaderField(":method", "GET"), Custom);

        Assert.False(decoder.TryDecode(0, section, out _));
        Assert.True(decoder.IsBlocked(0));
        Assert.Equal(1, decoder.GetRequiredInsertCount(0));

        decoder.ReceiveEncoderStream(Hex.Parse(encoder.EncoderStream()));
        Assert.True(decoder.TryPollUnblocked(out var released));
        Assert.Equal([new HeaderField(":method", "GET"), Custom], released.Fields);
        Assert.False(decoder.IsBlocked(0));
    }

    [Fact]
    public void Rfc9204_2_1_2_MoreBlockedStreamsThanAllowedFailsDecompression()
    {
        var decoder = new QpackDecoder(maxTableCapacity: 4096, maxBlockedStreams: 2);

        // Required Insert Count 1 (encoded 2), Base 0 (sign 1, delta 0), post-base index 0: needs an insert not yet seen.
        Assert.False(decoder.TryDecode(0, Hex.Parse("0280 10"), out _));
        Assert.False(decoder.TryDecode(4, Hex.Parse("0280 10"), out _));
        var e = Assert.Throws<QpackException>(() => decoder.TryDecode(8, Hex.Parse("0280 10"), out _));
        Assert.Equal(Http3ErrorCode.QpackDecompressionFailed, e.Code);
    }

    [Fact]
    public void Rfc9204_2_1_2_EncoderNeverBlocksMoreStreamsThanThePeerAllows()
    {
        var encoder = new QpackEncoder();
        encoder.ApplyPeerSettings(4096, blockedStreams: 1);

        byte[] first = encoder.Encode(0, new HeaderField("x-one", "first value"));
        byte[] second = encoder.Encode(4, new HeaderField("x-two", "second value"));

        Assert.NotEqual(0, first[0]);   // references its fresh insert: may block stream 0
        Assert.Equal(0, second[0]);     // stream 4 may not block too: Required Insert Count 0, literals only
        Assert.Equal(1, encoder.BlockedStreamCount);

        // Once the decoder confirms the inserts, both entries are safe to reference anywhere.
        encoder.ReceiveDecoderStream([0x02]);
        Assert.Equal(0, encoder.BlockedStreamCount);
        byte[] third = encoder.Encode(8, new HeaderField("x-two", "second value"));
        Assert.Equal(Hex.Parse("0300 80"), third);
    }

    [Fact]
    public void Rfc9204_2_1_1_ReferencedEntryIsNotEvicted()
    {
        var encoder = new QpackEncoder(maxTableCapacity: 100) { UseHuffman = false };
        encoder.ApplyPeerSettings(100, 100);
        var a = new HeaderField("x-a", "first entry of forty");
        var b = new HeaderField("x-b", "second entry of forty");

        encoder.Encode(0, a);
        encoder.ReceiveDecoderStream([0x01]); // acknowledged, but the section on stream 0 still references it
        Assert.Equal(1, encoder.GetReferenceCount(0));

        Assert.False(encoder.TryInsert(b, out _));
        Assert.False(encoder.TryDuplicate(0, out _));

        // The section is acknowledged: entry 0 is now evictable and the insert goes through.
        encoder.ReceiveDecoderStream([0x80]);
        Assert.True(encoder.TryInsert(b, out long inserted));
        Assert.Equal(1, inserted);
        Assert.Equal(1, encoder.Table.FirstAbsoluteIndex);
    }

    [Fact]
    public void Rfc9204_2_1_1_UnacknowledgedEntryIsNotEvictedAndTheFieldFallsBackToALiteral()
    {
        var encoder = new QpackEncoder(maxTableCapacity: 100) { UseHuffman = false };
        encoder.ApplyPeerSettings(100, 100);
        Assert.True(encoder.TryInsert(new HeaderField("x-a", "first entry of forty"), out _));

        byte[] section = encoder.Encode(0, new HeaderField("x-b", "second entry of forty"));

        Assert.Equal(1, encoder.Table.Count);
        Assert.Equal(Hex.Parse("0000 2378 2d62 1573 6563 6f6e 6420 656e 7472 7920 6f66 2066 6f72 7479"), section);
    }

    [Fact]
    public void Rfc9204_3_2_3_CapacityZeroUsesOnlyTheStaticTableAndLiterals()
    {
        var encoder = new QpackEncoder();
        encoder.ApplyPeerSettings(0, 0);
        var decoder = new QpackDecoder(maxTableCapacity: 0);
        HeaderField[] fields = [new(":method", "GET"), new(":path", "/x"), Custom, new("authorization", "secret")];

        byte[] section = encoder.Encode(0, fields);

        Assert.False(encoder.HasEncoderStreamOutput);
        Assert.Equal(fields, decoder.Decode(0, Hex.Format(section)));
        Assert.False(decoder.HasDecoderStreamOutput);
    }

    [Fact]
    public void Rfc9204_4_4_2_CancellingAStreamReleasesItsReferences()
    {
        var encoder = new QpackEncoder();
        encoder.ApplyPeerSettings(4096, 100);
        encoder.Encode(0, Custom);
        Assert.Equal(1, encoder.GetReferenceCount(0));

        var decoder = new QpackDecoder();
        decoder.CancelStream(0);
        var output = new ArrayBufferWriter<byte>();
        decoder.TransmitDecoderStream(output);
        encoder.ReceiveDecoderStream(output.WrittenSpan);

        Assert.Equal(0, encoder.GetReferenceCount(0));
        Assert.Equal(0, encoder.BlockedStreamCount);
    }
}
