using System.Buffers;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Qpack;

internal static class QpackTestSupport
{
    public static byte[] Encode(this QpackEncoder encoder, long streamId, params HeaderField[] fields)
    {
        var output = new ArrayBufferWriter<byte>();
        encoder.EncodeFieldSection(streamId, fields, output);
        return output.WrittenSpan.ToArray();
    }

    public static string EncoderStream(this QpackEncoder encoder)
    {
        var output = new ArrayBufferWriter<byte>();
        encoder.TransmitEncoderStream(output);
        return Hex.Format(output.WrittenSpan);
    }

    public static string DecoderStream(this QpackDecoder decoder)
    {
        var output = new ArrayBufferWriter<byte>();
        decoder.TransmitDecoderStream(output);
        return Hex.Format(output.WrittenSpan);
    }

    /// <summary>Feeds stream bytes whole, or one byte per call to exercise instructions split across reads.</summary>
    public static void Feed(string hex, bool byteByByte, Action<byte[]> receive)
    {
        byte[] bytes = Hex.Parse(hex);
        if (!byteByByte)
        {
            receive(bytes);
            return;
        }

        foreach (byte b in bytes)
        {
            receive([b]);
        }
    }

    public static IReadOnlyList<HeaderField> Decode(this QpackDecoder decoder, long streamId, string hex)
    {
        Assert.True(decoder.TryDecode(streamId, Hex.Parse(hex), out var section), "the section should not block");
        return section!.Fields;
    }

    public static void AssertTable(QpackDynamicTable table, int size, params (long Absolute, string Name, string Value)[] oldestFirst)
    {
        Assert.Equal(oldestFirst, table.Entries.Select(e => (e.AbsoluteIndex, e.Field.Name, e.Field.Value)).ToArray());
        Assert.Equal(size, table.Size);
    }
}
