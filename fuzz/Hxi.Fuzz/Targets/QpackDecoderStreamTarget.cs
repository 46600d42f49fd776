using System.Buffers;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Fuzz.Targets;

/// <summary>
/// The QPACK decoder stream as the encoder receives it (RFC 9204 Section 4.4), after the encoder has inserted entries
/// and sent blocking sections on streams 4 and 8 (RFC 9204 Appendix B.2 to B.4); the encoder then encodes again.
/// </summary>
/// <remarks>Input: one option byte (chunk size, 0 = whole), then the decoder stream.</remarks>
public static class QpackDecoderStreamTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        byte options = input.TakeByte();
        var encoder = new QpackEncoder(220) { UseHuffman = false };
        var output = new ArrayBufferWriter<byte>();
        encoder.ApplyPeerSettings(220, 2);
        encoder.EncodeFieldSection(4, [QpackSamples.Authority, QpackSamples.SamplePath], output);
        encoder.TryInsert(QpackSamples.Custom, out _);
        encoder.TryDuplicate(0, out _);
        encoder.EncodeFieldSection(8, [QpackSamples.Authority, new HeaderField(":path", "/"), QpackSamples.Custom], output);
        var trace = new List<QpackInstructionTrace>();
        try
        {
            FuzzInput.Feed(input.TakeAll(), options, bytes =>
            {
                encoder.ReceiveDecoderStream(bytes, trace);
                trace.ForEach(t => _ = t.ToString());
                trace.Clear();
            });
            encoder.EncodeFieldSection(12, [QpackSamples.Authority, QpackSamples.Custom, new HeaderField("x-new", "value")], output);
            encoder.TransmitEncoderStream(output);
        }
        catch (QpackException)
        {
        }
    }

    public static IEnumerable<byte[]> Seeds()
    {
        yield return [0, .. SeedBuilder.Hex(string.Concat(QpackSamples.DecoderStream))];
        yield return [1, .. SeedBuilder.Hex("84 01 48")];
        yield return [0, .. SeedBuilder.Hex("88 84 03")];
        yield return [0, .. SeedBuilder.Hex("48 44 3f 01")];
    }
}
