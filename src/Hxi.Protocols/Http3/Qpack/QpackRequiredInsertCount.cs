namespace Hxi.Protocols.Http3.Qpack;

/// <summary>The Required Insert Count encoding of RFC 9204 Section 4.5.1.1: modulo twice the table's entry limit, plus one.</summary>
public static class QpackRequiredInsertCount
{
    /// <summary>The most entries a table of <paramref name="maxTableCapacity"/> bytes can hold: the smallest entry is 32 bytes.</summary>
    public static long MaxEntries(long maxTableCapacity) => maxTableCapacity / 32;

    public static long Encode(long requiredInsertCount, long maxTableCapacity)
    {
        if (requiredInsertCount == 0)
        {
            return 0;
        }

        long maxEntries = MaxEntries(maxTableCapacity);
        if (maxEntries == 0)
        {
            throw new InvalidOperationException("A table of capacity 0 has no entries to require.");
        }

        return (requiredInsertCount % (2 * maxEntries)) + 1;
    }

    /// <summary>
    /// Recovers the Required Insert Count from its encoding, given how many inserts the decoder has seen.
    /// Throws QPACK_DECOMPRESSION_FAILED for a value no conformant encoder could have produced.
    /// </summary>
    public static long Decode(long encodedInsertCount, long maxTableCapacity, long totalNumberOfInserts)
    {
        if (encodedInsertCount == 0)
        {
            return 0;
        }

        long maxEntries = MaxEntries(maxTableCapacity);
        long fullRange = 2 * maxEntries;
        if (encodedInsertCount > fullRange)
        {
            throw new QpackException(
                Http3ErrorCode.QpackDecompressionFailed,
                $"encoded Required Insert Count {encodedInsertCount} exceeds 2 * MaxEntries = {fullRange}");
        }

        long maxValue = totalNumberOfInserts + maxEntries;
        long maxWrapped = maxValue / fullRange * fullRange;
        long required = maxWrapped + encodedInsertCount - 1;

        // Past MaxValue the encoder's count must have wrapped one fewer time.
        if (required > maxValue)
        {
            if (required <= fullRange)
            {
                throw new QpackException(
                    Http3ErrorCode.QpackDecompressionFailed,
                    $"encoded Required Insert Count {encodedInsertCount} cannot be reached from {totalNumberOfInserts} inserts");
            }

            required -= fullRange;
        }

        if (required == 0)
        {
            throw new QpackException(Http3ErrorCode.QpackDecompressionFailed, "a Required Insert Count of 0 must be encoded as 0");
        }

        return required;
    }
}
