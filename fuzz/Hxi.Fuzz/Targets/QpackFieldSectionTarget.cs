using System.Buffers;
using Hxi.Protocols.Http3.Qpack;

namespace Hxi.Fuzz.Targets;

/// <summary>
/// QPACK field sections (RFC 9204 Section 4.5) decoded against a dynamic table the same input fills through the
/// encoder stream, with blocked sections released, cancelled streams and the decoder stream written back.
/// </summary>
/// <remarks>
/// Input: one option byte (table capacity and blocked-stream limit), then records of a kind byte and a two-byte-length
/// piece. Kind bits 0-1: 0 or 3 encoder-stream bytes, 1 a field section, 2 a stream cancellation; bits 2-7 pick the
/// stream (0, 4, 8, ...).
/// </remarks>
public static class QpackFieldSectionTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        byte options = input.TakeByte();
        var decoder = new QpackDecoder((options & 1) != 0 ? 4096 : 220, maxBlockedStreams: (options >> 1) & 3) { TraceEnabled = (options & 8) != 0 };
        var trace = decoder.TraceEnabled ? new List<QpackInstructionTrace>() : null;
        var decoderStream = new ArrayBufferWriter<byte>();
        try
        {
            while (!input.IsEmpty)
            {
                byte kind = input.TakeByte();
                long streamId = (kind >> 2) * 4;
                var piece = input.TakeLongPiece();
                switch (kind & 3)
                {
                    // A stream's next section waits while one is blocked, as the HTTP/3 core holds its frames.
                    case 1 when !decoder.IsBlocked(streamId):
                        if (decoder.TryDecode(streamId, piece, out var section))
                        {
                            Show(section!);
                        }

                        break;
                    case 1:
                        break;
                    case 2:
                        decoder.CancelStream(streamId);
                        break;
                    default:
                        decoder.ReceiveEncoderStream(piece, trace);
                        break;
                }

                while (decoder.TryPollUnblocked(out var unblocked))
                {
                    Show(unblocked);
                }

                decoderStream.ResetWrittenCount();
                decoder.TransmitDecoderStream(decoderStream, trace);
                trace?.ForEach(t => _ = t.ToString());
                trace?.Clear();
            }
        }
        catch (QpackException)
        {
        }
    }

    private static void Show(QpackFieldSection section)
    {
        foreach (var field in section.Fields)
        {
            _ = field.ToString();
        }

        _ = section.Trace?.ToString();
    }

    private static byte[] Record(int kind, long streamId, string hex) => [(byte)(kind | (int)(streamId / 4) << 2), .. SeedBuilder.LongPieces([], SeedBuilder.Hex(hex))];

    public static IEnumerable<byte[]> Seeds()
    {
        yield return [0, .. Record(1, 0, QpackSamples.B1Section)];
        yield return SeedBuilder.Concat(
            [0x0c],
            Record(0, 0, QpackSamples.B2EncoderStream),
            Record(1, 4, QpackSamples.B2Section),
            Record(0, 0, QpackSamples.B3EncoderStream),
            Record(1, 8, QpackSamples.B4Section),
            Record(2, 8, ""),
            Record(1, 12, QpackSamples.B4Section),
            Record(0, 0, QpackSamples.B4EncoderStream),
            Record(0, 0, QpackSamples.B5EncoderStream));
        foreach (bool huffman in new[] { false, true })
        {
            var (encoderStream, sections) = QpackSamples.Encode(huffman);
            List<byte[]> records = [[0x0b]];
            // Sections first: they block until the encoder stream arrives.
            records.AddRange(sections.Take(1).Select(s => Record(1, s.StreamId, Convert.ToHexString(s.Section))));
            records.Add(Record(0, 0, Convert.ToHexString(encoderStream)));
            records.AddRange(sections.Skip(1).Select(s => Record(1, s.StreamId, Convert.ToHexString(s.Section))));
            yield return SeedBuilder.Concat([.. records]);
        }
    }
}
