using System.Buffers;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

public sealed partial class QpackEncoder
{
    // Sections with dynamic references the peer has not acknowledged, per stream in sending order (Section 2.1.2).
    private readonly Dictionary<long, Queue<OutstandingSection>> _outstanding = [];
    private readonly Dictionary<long, int> _referenceCounts = [];
    private byte[] _decoderInput = [];
    private int _decoderInputLength;

    /// <summary>Inserts the peer decoder has confirmed (Section 2.1.4); entries below it can be referenced without blocking.</summary>
    public long KnownReceivedCount { get; private set; }

    /// <summary>Streams whose unacknowledged sections might be blocked at the peer.</summary>
    public int BlockedStreamCount => _outstanding.Count(pair => IsBlocking(pair.Value));

    /// <summary>Unacknowledged sections referencing the entry; a referenced entry is never evicted.</summary>
    public int GetReferenceCount(long absoluteIndex) => _referenceCounts.GetValueOrDefault(absoluteIndex);

    /// <summary>Applies decoder-stream bytes (Section 4.4); an instruction may be split anywhere across calls.</summary>
    /// <exception cref="QpackException">QPACK_DECODER_STREAM_ERROR.</exception>
    public void ReceiveDecoderStream(ReadOnlySpan<byte> data, List<QpackInstructionTrace>? trace = null)
    {
        if (_decoderInputLength + data.Length > _decoderInput.Length)
        {
            Array.Resize(ref _decoderInput, Math.Max(_decoderInputLength + data.Length, Math.Max(16, _decoderInput.Length * 2)));
        }

        data.CopyTo(_decoderInput.AsSpan(_decoderInputLength));
        _decoderInputLength += data.Length;
        int position = 0;
        while (position < _decoderInputLength)
        {
            ReadOnlySpan<byte> pending = _decoderInput.AsSpan(position, _decoderInputLength - position);
            byte first = pending[0];
            (var kind, int prefixBits) = (first & 0x80) != 0 ? (QpackInstructionKind.SectionAcknowledgment, 7)
                : (first & 0x40) != 0 ? (QpackInstructionKind.StreamCancellation, 6)
                : (QpackInstructionKind.InsertCountIncrement, 6);
            var status = PrefixInteger.Read(pending, prefixBits, out int value, out int consumed);
            if (status == OperationStatus.NeedMoreData)
            {
                break;
            }

            if (status == OperationStatus.InvalidData)
            {
                throw DecoderStreamError($"{kind} integer overflows");
            }

            Apply(kind, value);
            trace?.Add(new QpackInstructionTrace(kind, value, false, default, false, false, -1, pending[..consumed].ToArray(), []));
            position += consumed;
        }

        _decoderInput.AsSpan(position, _decoderInputLength - position).CopyTo(_decoderInput);
        _decoderInputLength -= position;
    }

    private void Apply(QpackInstructionKind kind, long value)
    {
        switch (kind)
        {
            case QpackInstructionKind.SectionAcknowledgment:
                // Section 4.4.1: it acknowledges the earliest unacknowledged section on that stream.
                if (!_outstanding.TryGetValue(value, out var sections))
                {
                    throw DecoderStreamError($"Section Acknowledgment for stream {value}, which has no unacknowledged field section");
                }

                var section = sections.Dequeue();
                if (sections.Count == 0)
                {
                    _outstanding.Remove(value);
                }

                Release(section);
                KnownReceivedCount = Math.Max(KnownReceivedCount, section.RequiredInsertCount);
                break;
            case QpackInstructionKind.StreamCancellation:
                if (_outstanding.Remove(value, out var cancelled))
                {
                    foreach (var s in cancelled)
                    {
                        Release(s);
                    }
                }

                break;
            default:
                if (value == 0 || KnownReceivedCount + value > Table.InsertCount)
                {
                    throw DecoderStreamError(
                        $"Insert Count Increment of {value} (Known Received Count {KnownReceivedCount}, {Table.InsertCount} inserts sent)");
                }

                KnownReceivedCount += value;
                break;
        }
    }

    private void TrackSection(long streamId, long requiredInsertCount, HashSet<long> references)
    {
        if (!_outstanding.TryGetValue(streamId, out var sections))
        {
            _outstanding[streamId] = sections = new Queue<OutstandingSection>();
        }

        sections.Enqueue(new OutstandingSection(requiredInsertCount, [.. references]));
    }

    private void Release(OutstandingSection section)
    {
        foreach (long absolute in section.References)
        {
            if (--_referenceCounts[absolute] == 0)
            {
                _referenceCounts.Remove(absolute);
            }
        }
    }

    // Section 2.1.2: a stream already at risk of blocking costs nothing more; a new one needs room in the limit.
    private bool MayBlock(long streamId) =>
        (_outstanding.TryGetValue(streamId, out var sections) && IsBlocking(sections)) || BlockedStreamCount < MaxBlockedStreams;

    private bool IsBlocking(Queue<OutstandingSection> sections) => sections.Any(s => s.RequiredInsertCount > KnownReceivedCount);

    private bool CanEvict(long absolute) => absolute < KnownReceivedCount && !_referenceCounts.ContainsKey(absolute);

    private static QpackException DecoderStreamError(string reason) => new(Http3ErrorCode.QpackDecoderStreamError, reason);

    private sealed record OutstandingSection(long RequiredInsertCount, long[] References);
}
