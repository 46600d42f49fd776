namespace Hxi.Protocols.Quic.Frames;

/// <summary>A contiguous run of acknowledged packet numbers, both ends included.</summary>
public readonly record struct QuicAckRange(ulong Smallest, ulong Largest)
{
    public override string ToString() => Smallest == Largest ? $"{Largest}" : $"{Largest}..{Smallest}";
}

/// <summary>The ECN counts of an ACK frame of type 0x03 (RFC 9000 Section 19.3.2).</summary>
public readonly record struct QuicEcnCounts(ulong Ect0, ulong Ect1, ulong Ce);

/// <summary>ACK (RFC 9000 Section 19.3), with ranges as packet numbers, largest first.</summary>
/// <remarks>
/// <code>
/// ACK Frame {
///   Type (i) = 0x02..0x03,
///   Largest Acknowledged (i),
///   ACK Delay (i),
///   ACK Range Count (i),
///   First ACK Range (i),
///   ACK Range (..) ...,
///   [ECN Counts (..)],
/// }
///
/// ACK Range {
///   Gap (i),
///   ACK Range Length (i),
/// }
/// </code>
/// Ranges are stored as packet numbers rather than the wire's gaps and lengths because every
/// consumer (loss detection, the wire view) wants packet numbers. <see cref="AckDelay"/> is the raw
/// field; scale it with the sender's ack_delay_exponent via <see cref="GetAckDelayMicroseconds"/>.
/// </remarks>
public sealed record AckFrame(ulong AckDelay, IReadOnlyList<QuicAckRange> Ranges, QuicEcnCounts? EcnCounts = null)
    : QuicFrame
{
    public override QuicFrameType Type => EcnCounts is null ? QuicFrameType.Ack : QuicFrameType.AckEcn;

    public ulong LargestAcknowledged => Ranges[0].Largest;

    /// <summary>The delay in microseconds: the field times 2^exponent (RFC 9000 Section 18.2, ack_delay_exponent).</summary>
    public ulong GetAckDelayMicroseconds(int ackDelayExponent) =>
        ackDelayExponent is < 0 or > 20
            ? throw new ArgumentOutOfRangeException(nameof(ackDelayExponent))
            : AckDelay > ulong.MaxValue >> ackDelayExponent ? ulong.MaxValue : AckDelay << ackDelayExponent;

    /// <summary>Whether <paramref name="packetNumber"/> falls in one of the ranges.</summary>
    public bool Acknowledges(ulong packetNumber)
    {
        foreach (var range in Ranges)
        {
            if (packetNumber >= range.Smallest && packetNumber <= range.Largest)
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(AckFrame? other) =>
        other is not null && AckDelay == other.AckDelay && EcnCounts == other.EcnCounts
        && Ranges.SequenceEqual(other.Ranges);

    public override int GetHashCode() => HashCode.Combine(AckDelay, Ranges.Count, Ranges.Count > 0 ? Ranges[0] : default);

    public override string ToString()
    {
        var text = $"ACK largest={(Ranges.Count > 0 ? LargestAcknowledged : 0)} delay={AckDelay} ranges=[{string.Join(", ", Ranges)}]";
        return EcnCounts is { } ecn ? $"{text} ecn(ect0={ecn.Ect0} ect1={ecn.Ect1} ce={ecn.Ce})" : text;
    }

    internal static AckFrame Read(ref QuicFrameReader reader, bool withEcn)
    {
        ulong largest = reader.ReadVarint("Largest Acknowledged");
        ulong delay = reader.ReadVarint("ACK Delay");
        ulong rangeCount = reader.ReadVarint("ACK Range Count");
        ulong firstRange = reader.ReadVarint("First ACK Range");
        if (firstRange > largest)
        {
            throw reader.Error($"First ACK Range {firstRange} goes below packet 0 from {largest}");
        }

        // Each further range takes at least two bytes, so the remaining bytes bound the list (and the loop).
        var ranges = new List<QuicAckRange>((int)Math.Min(rangeCount, (ulong)reader.Remaining / 2) + 1)
        {
            new(largest - firstRange, largest),
        };
        ulong smallest = largest - firstRange;
        for (ulong i = 0; i < rangeCount; i++)
        {
            ulong gap = reader.ReadVarint("Gap");
            ulong length = reader.ReadVarint("ACK Range Length");
            if (smallest < 2 || gap > smallest - 2)
            {
                throw reader.Error($"ACK range {i + 1} gap {gap} goes below packet 0");
            }

            ulong rangeLargest = smallest - gap - 2;
            if (length > rangeLargest)
            {
                throw reader.Error($"ACK range {i + 1} length {length} goes below packet 0");
            }

            smallest = rangeLargest - length;
            ranges.Add(new QuicAckRange(smallest, rangeLargest));
        }

        QuicEcnCounts? ecn = null;
        if (withEcn)
        {
            ecn = new QuicEcnCounts(reader.ReadVarint("ECT0 Count"), reader.ReadVarint("ECT1 Count"), reader.ReadVarint("ECN-CE Count"));
        }

        return new AckFrame(delay, ranges, ecn);
    }

    private protected override int GetFieldsByteCount()
    {
        CheckRanges();
        int count = QuicFrameWriter.VarintLength(LargestAcknowledged) + QuicFrameWriter.VarintLength(AckDelay)
            + QuicFrameWriter.VarintLength((ulong)Ranges.Count - 1)
            + QuicFrameWriter.VarintLength(Ranges[0].Largest - Ranges[0].Smallest);
        for (int i = 1; i < Ranges.Count; i++)
        {
            count += QuicFrameWriter.VarintLength(Ranges[i - 1].Smallest - Ranges[i].Largest - 2)
                + QuicFrameWriter.VarintLength(Ranges[i].Largest - Ranges[i].Smallest);
        }

        if (EcnCounts is { } ecn)
        {
            count += QuicFrameWriter.VarintLength(ecn.Ect0) + QuicFrameWriter.VarintLength(ecn.Ect1)
                + QuicFrameWriter.VarintLength(ecn.Ce);
        }

        return count;
    }

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
        writer.WriteVarint(LargestAcknowledged);
        writer.WriteVarint(AckDelay);
        writer.WriteVarint((ulong)Ranges.Count - 1);
        writer.WriteVarint(Ranges[0].Largest - Ranges[0].Smallest);
        for (int i = 1; i < Ranges.Count; i++)
        {
            writer.WriteVarint(Ranges[i - 1].Smallest - Ranges[i].Largest - 2);
            writer.WriteVarint(Ranges[i].Largest - Ranges[i].Smallest);
        }

        if (EcnCounts is { } ecn)
        {
            writer.WriteVarint(ecn.Ect0);
            writer.WriteVarint(ecn.Ect1);
            writer.WriteVarint(ecn.Ce);
        }
    }

    // The wire cannot express overlapping or adjacent ranges (the gap counts the missing packets minus one).
    private void CheckRanges()
    {
        if (Ranges.Count == 0)
        {
            throw new InvalidOperationException("an ACK frame needs at least one range");
        }

        for (int i = 0; i < Ranges.Count; i++)
        {
            if (Ranges[i].Smallest > Ranges[i].Largest)
            {
                throw new InvalidOperationException($"ACK range {Ranges[i].Smallest}..{Ranges[i].Largest} is inverted");
            }

            if (i > 0 && (Ranges[i - 1].Smallest < 2 || Ranges[i].Largest > Ranges[i - 1].Smallest - 2))
            {
                throw new InvalidOperationException("ACK ranges must descend with at least one missing packet between them");
            }
        }
    }
}
