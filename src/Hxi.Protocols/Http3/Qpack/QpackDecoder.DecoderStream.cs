using System.Buffers;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

public sealed partial class QpackDecoder
{
    // Acknowledgments and cancellations wait here in order; the Insert Count Increment is computed at transmit time
    // so that several inserts, and inserts already covered by a Section Acknowledgment, cost at most one instruction.
    private readonly List<(QpackInstructionKind Kind, long StreamId)> _pendingInstructions = [];
    private long _knownReceivedCount;

    /// <summary>Whether <see cref="TransmitDecoderStream"/> has anything to write.</summary>
    public bool HasDecoderStreamOutput => _pendingInstructions.Count > 0 || Table.InsertCount > _knownReceivedCount;

    /// <summary>
    /// Writes the pending decoder-stream instructions (Section 4.4): Section Acknowledgments and Stream Cancellations
    /// in order, then one Insert Count Increment for inserts not yet acknowledged. Returns the bytes written.
    /// </summary>
    public int TransmitDecoderStream(IBufferWriter<byte> output, List<QpackInstructionTrace>? trace = null)
    {
        int total = 0;
        foreach (var (kind, streamId) in _pendingInstructions)
        {
            //   0   1   2   3   4   5   6   7          0   1   2   3   4   5   6   7
            // +---+---+---+---+---+---+---+---+      +---+---+---+---+---+---+---+---+
            // | 1 |      Stream ID (7+)       |      | 0 | 1 |     Stream ID (6+)    |
            // +---+---------------------------+      +---+---+-----------------------+
            //       Section Acknowledgment                  Stream Cancellation
            total += kind == QpackInstructionKind.SectionAcknowledgment
                ? WriteInstruction(output, kind, streamId, 7, 0x80, trace)
                : WriteInstruction(output, kind, streamId, 6, 0x40, trace);
        }

        _pendingInstructions.Clear();
        long increment = Table.InsertCount - _knownReceivedCount;
        if (increment > 0)
        {
            //   0   1   2   3   4   5   6   7
            // +---+---+---+---+---+---+---+---+
            // | 0 | 0 |     Increment (6+)    |
            // +---+---+-----------------------+
            total += WriteInstruction(output, QpackInstructionKind.InsertCountIncrement, increment, 6, 0x00, trace);
            _knownReceivedCount = Table.InsertCount;
        }

        return total;
    }

    private void QueueSectionAcknowledgment(long streamId, long requiredInsertCount)
    {
        _pendingInstructions.Add((QpackInstructionKind.SectionAcknowledgment, streamId));

        // Section 2.1.4: the acknowledgment tells the encoder every insert up to the section's count arrived.
        _knownReceivedCount = Math.Max(_knownReceivedCount, requiredInsertCount);
    }

    private void QueueStreamCancellation(long streamId) =>
        _pendingInstructions.Add((QpackInstructionKind.StreamCancellation, streamId));

    private static int WriteInstruction(
        IBufferWriter<byte> output, QpackInstructionKind kind, long value, int prefixBits, byte pattern, List<QpackInstructionTrace>? trace)
    {
        // Stream ids and counts beyond int.MaxValue cannot be written by the shared prefix-integer codec.
        int number = checked((int)value);
        int length = PrefixInteger.GetByteCount(number, prefixBits);
        Span<byte> span = output.GetSpan(length);
        PrefixInteger.Write(span, number, prefixBits, pattern);
        trace?.Add(new QpackInstructionTrace(kind, value, false, default(HeaderField), false, false, -1, span[..length].ToArray(), []));
        output.Advance(length);
        return length;
    }
}
