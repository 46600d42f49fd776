namespace Hxi.Protocols.Quic.Packets;

/// <summary>Packet number truncation and recovery (RFC 9000 Section 17.1 and Appendix A.2, A.3).</summary>
public static class QuicPacketNumber
{
    /// <summary>Packet numbers run from 0 to 2^62 - 1 (RFC 9000 Section 12.3).</summary>
    public const ulong MaxValue = (1UL << 62) - 1;

    /// <summary>
    /// The encoded length (1..4 bytes) for sending <paramref name="packetNumber"/>: enough bits to represent
    /// more than twice the unacknowledged range. Before any acknowledgment the whole range counts.
    /// </summary>
    /// <remarks>
    /// At an exact power of two the Appendix A.2 pseudocode allows one byte less than the normative
    /// "more than twice as large a range" of Section 17.1; this follows the normative text.
    /// </remarks>
    public static int GetEncodedLength(ulong packetNumber, ulong? largestAcknowledged)
    {
        if (largestAcknowledged is { } acked && acked >= packetNumber)
        {
            throw new ArgumentOutOfRangeException(nameof(largestAcknowledged), "cannot acknowledge a packet not yet sent");
        }

        ulong unacknowledged = largestAcknowledged is { } largest ? packetNumber - largest : packetNumber + 1;
        for (int length = 1; length <= 4; length++)
        {
            if (unacknowledged < 1UL << (8 * length - 1))
            {
                return length;
            }
        }

        throw new InvalidOperationException($"{unacknowledged} unacknowledged packets cannot be encoded in 4 bytes");
    }

    /// <summary>The low <paramref name="length"/> bytes of <paramref name="packetNumber"/>.</summary>
    public static uint Truncate(ulong packetNumber, int length) =>
        (uint)(packetNumber & ((1UL << (8 * CheckLength(length))) - 1));

    /// <summary>
    /// Recovers the full packet number closest to the one after <paramref name="largestPacketNumber"/>
    /// (null before any packet of the space was processed), per RFC 9000 Appendix A.3.
    /// </summary>
    public static ulong Decode(ulong? largestPacketNumber, uint truncated, int length)
    {
        // Signed arithmetic as in the RFC's pseudocode: every value here is below 2^62.
        long expected = largestPacketNumber is { } largest ? (long)largest + 1 : 0;
        long window = 1L << (8 * CheckLength(length));
        long halfWindow = window / 2;
        long mask = window - 1;
        long candidate = (expected & ~mask) | (truncated & mask);
        if (candidate <= expected - halfWindow && candidate < (1L << 62) - window)
        {
            return (ulong)(candidate + window);
        }

        if (candidate > expected + halfWindow && candidate >= window)
        {
            return (ulong)(candidate - window);
        }

        return (ulong)candidate;
    }

    private static int CheckLength(int length) =>
        length is >= 1 and <= 4 ? length : throw new ArgumentOutOfRangeException(nameof(length), length, "1..4 bytes");
}
