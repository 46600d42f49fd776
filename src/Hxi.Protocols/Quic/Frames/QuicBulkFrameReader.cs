using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Quic.Frames;

/// <summary>The fields of one frame a bulk transfer's 1-RTT packets carry, read in place: nothing is allocated.</summary>
/// <remarks>
/// For STREAM, <see cref="DataOffset"/>/<see cref="DataLength"/> locate the Stream Data in the payload; for ACK,
/// <see cref="Largest"/>, <see cref="AckDelay"/>, <see cref="AckRangeCount"/> and <see cref="FirstAckRange"/> are the
/// fixed fields and <see cref="AckRangesOffset"/> is where the further (Gap, ACK Range Length) pairs start.
/// </remarks>
internal readonly record struct QuicBulkFrame(
    ulong TypeCode,
    ulong StreamId,
    ulong Offset,
    int DataOffset,
    int DataLength,
    ulong Largest,
    ulong AckDelay,
    ulong AckRangeCount,
    ulong FirstAckRange,
    int AckRangesOffset,
    QuicEcnCounts? EcnCounts = null)
{
    public bool IsStream => TypeCode is >= 0x08 and <= 0x0f;

    public bool IsAck => TypeCode is 0x02 or 0x03;

    public bool Fin => (TypeCode & StreamFrame.FinBit) != 0;

    public bool IsAckEliciting => QuicFrameRules.IsAckEliciting(TypeCode);
}

/// <summary>
/// Reads the frames of a decrypted 1-RTT payload when they are only PADDING, PING, ACK (with or without ECN counts) and STREAM, the
/// frames of a bulk transfer, without allocating. Anything else, or anything malformed, makes <see cref="TryRead"/>
/// give up (<see cref="GaveUp"/>): the caller then decodes the payload with <see cref="QuicFrameDecoder"/>, which
/// applies every rule and raises the precise error. So this reader needs to accept only what that decoder accepts.
/// </summary>
internal ref struct QuicBulkFrameReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    /// <summary>True once a frame outside the bulk set, or a malformed one, was met.</summary>
    public bool GaveUp { get; private set; }

    public readonly bool AtEnd => _position >= _payload.Length;

    /// <summary>Reads the next frame; false at the end of the payload or when giving up.</summary>
    public bool TryRead(out QuicBulkFrame frame)
    {
        frame = default;
        if (AtEnd || GaveUp)
        {
            return false;
        }

        if (!TryReadVarint(out ulong type, out int typeLength) || typeLength != QuicVarint.GetByteCount(type))
        {
            return GiveUp();
        }

        switch (type)
        {
            case 0x00:
                // A PADDING run counts as one frame.
                var rest = _payload[_position..];
                var run = rest.IndexOfAnyExcept((byte)0);
                _position += run < 0 ? rest.Length : run;
                frame = new QuicBulkFrame(type, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                return true;
            case 0x01:
                frame = new QuicBulkFrame(type, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                return true;
            case 0x02 or 0x03:
                return TryReadAck(type, out frame);
            case >= 0x08 and <= 0x0f:
                return TryReadStream(type, out frame);
            default:
                return GiveUp();
        }
    }

    /// <summary>
    /// The (smallest, largest) ranges of an ACK read by <see cref="TryRead"/>, largest first, into
    /// <paramref name="ranges"/>; the reader already checked that none goes below packet 0.
    /// </summary>
    public readonly void CopyAckRanges(in QuicBulkFrame ack, List<(long Smallest, long Largest)> ranges)
    {
        ranges.Clear();
        ulong smallest = ack.Largest - ack.FirstAckRange;
        ranges.Add(((long)smallest, (long)ack.Largest));
        var position = ack.AckRangesOffset;
        for (ulong i = 0; i < ack.AckRangeCount; i++)
        {
            QuicVarint.TryRead(_payload[position..], out ulong gap, out int gapLength);
            position += gapLength;
            QuicVarint.TryRead(_payload[position..], out ulong length, out int lengthLength);
            position += lengthLength;
            ulong rangeLargest = smallest - gap - 2;
            smallest = rangeLargest - length;
            ranges.Add(((long)smallest, (long)rangeLargest));
        }
    }

    private bool TryReadAck(ulong type, out QuicBulkFrame frame)
    {
        frame = default;
        if (!TryReadVarint(out ulong largest, out _) || !TryReadVarint(out ulong delay, out _)
            || !TryReadVarint(out ulong rangeCount, out _) || !TryReadVarint(out ulong firstRange, out _)
            || firstRange > largest)
        {
            return GiveUp();
        }

        var rangesOffset = _position;
        ulong smallest = largest - firstRange;
        for (ulong i = 0; i < rangeCount; i++)
        {
            // The same bounds as AckFrame.Read; each pair takes at least two bytes, so the loop ends with the payload.
            if (!TryReadVarint(out ulong gap, out _) || !TryReadVarint(out ulong length, out _) || smallest < 2 || gap > smallest - 2)
            {
                return GiveUp();
            }

            ulong rangeLargest = smallest - gap - 2;
            if (length > rangeLargest)
            {
                return GiveUp();
            }

            smallest = rangeLargest - length;
        }

        QuicEcnCounts? ecn = null;
        if (type == 0x03)
        {
            if (!TryReadVarint(out ulong ect0, out _) || !TryReadVarint(out ulong ect1, out _) || !TryReadVarint(out ulong ce, out _))
            {
                return GiveUp();
            }

            ecn = new QuicEcnCounts(ect0, ect1, ce);
        }

        frame = new QuicBulkFrame(type, 0, 0, 0, 0, largest, delay, rangeCount, firstRange, rangesOffset, ecn);
        return true;
    }

    private bool TryReadStream(ulong type, out QuicBulkFrame frame)
    {
        frame = default;
        ulong offset = 0;
        if (!TryReadVarint(out ulong streamId, out _) || ((type & StreamFrame.OffBit) != 0 && !TryReadVarint(out offset, out _)))
        {
            return GiveUp();
        }

        ulong length;
        if ((type & StreamFrame.LenBit) != 0)
        {
            if (!TryReadVarint(out length, out _) || length > (ulong)(_payload.Length - _position))
            {
                return GiveUp();
            }
        }
        else
        {
            length = (ulong)(_payload.Length - _position);
        }

        if (offset + length > QuicVarint.MaxValue)
        {
            return GiveUp();
        }

        frame = new QuicBulkFrame(type, streamId, offset, _position, (int)length, 0, 0, 0, 0, 0);
        _position += (int)length;
        return true;
    }

    private bool TryReadVarint(out ulong value, out int length)
    {
        if (!QuicVarint.TryRead(_payload[_position..], out value, out length))
        {
            return false;
        }

        _position += length;
        return true;
    }

    private bool GiveUp()
    {
        GaveUp = true;
        return false;
    }
}
