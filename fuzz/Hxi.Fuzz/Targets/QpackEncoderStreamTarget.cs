using System.Buffers;
using Hxi.Protocols.Http3.Qpack;

namespace Hxi.Fuzz.Targets;

/// <summary>The QPACK encoder stream as the decoder receives it (RFC 9204 Section 4.3), split anywhere.</summary>
/// <remarks>Input: one option byte (bit 0: capacity 220 or 4096; bits 1-7: chunk size, 0 = whole), then the stream.</remarks>
public static class QpackEncoderStreamTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        byte options = input.TakeByte();
        var decoder = new QpackDecoder((options & 1) != 0 ? 4096 : 220);
        var trace = new List<QpackInstructionTrace>();
        var decoderStream = new ArrayBufferWriter<byte>();
        try
        {
            FuzzInput.Feed(input.TakeAll(), options >> 1, bytes =>
            {
                decoder.ReceiveEncoderStream(bytes, trace);
                trace.ForEach(t => _ = t.ToString());
                trace.Clear();
            });
            decoder.TransmitDecoderStream(decoderStream);
            _ = decoder.Table.ToString();
        }
        catch (QpackException)
        {
        }
    }

    public static IEnumerable<byte[]> Seeds()
    {
        yield return [0, .. SeedBuilder.Hex(QpackSamples.B2EncoderStream + QpackSamples.B3EncoderStream + QpackSamples.B4EncoderStream + QpackSamples.B5EncoderStream)];
        yield return [0x07, .. SeedBuilder.Hex(QpackSamples.B2EncoderStream + QpackSamples.B3EncoderStream)];
        yield return [1, .. QpackSamples.Encode(huffman: true).EncoderStream];
        yield return [0x81, .. QpackSamples.Encode(huffman: false).EncoderStream];
    }
}
