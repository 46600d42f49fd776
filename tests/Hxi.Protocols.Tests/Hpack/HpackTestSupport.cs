using System.Buffers;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Hpack;

internal static class HpackTestSupport
{
    public static byte[] Encode(this HpackEncoder encoder, IReadOnlyList<HeaderField> fields, List<HpackFieldTrace>? trace = null)
    {
        var output = new ArrayBufferWriter<byte>();
        encoder.Encode(fields, output, trace);
        return output.WrittenSpan.ToArray();
    }

    public static void AssertTable(HpackDynamicTable table, int size, params HeaderField[] newestFirst)
    {
        Assert.Equal(newestFirst, table.ToArray());
        Assert.Equal(newestFirst.Length, table.Count);
        Assert.Equal(size, table.Size);
    }
}
