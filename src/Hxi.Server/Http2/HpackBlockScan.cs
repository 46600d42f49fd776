namespace Hxi.Server.Http2;

/// <summary>
/// Walks an HPACK field block (RFC 7541 Section 6) representation by representation without a dynamic table: it
/// finds the one error that needs no table, an indexed field with index 0 (Section 6.1), which Kestrel answers with
/// INTERNAL_ERROR instead of COMPRESSION_ERROR. Everything else is left to Kestrel's decoder.
/// </summary>
internal static class HpackBlockScan
{
    /// <summary>True when the block holds an indexed field with index 0. A block that does not parse is not judged here.</summary>
    public static bool HasIndexZero(ReadOnlySpan<byte> block)
    {
        var at = 0;
        while (at < block.Length)
        {
            var first = block[at];
            if ((first & 0x80) != 0)
            {
                if (!TryInteger(block, ref at, 7, out var index))
                {
                    return false;
                }

                if (index == 0)
                {
                    return true;
                }
            }
            else if ((first & 0xe0) == 0x20)
            {
                if (!TryInteger(block, ref at, 5, out _))
                {
                    return false;
                }
            }
            else
            {
                // Literal with incremental indexing (01, 6-bit name index) or without / never indexed (000x, 4-bit).
                var prefix = (first & 0x40) != 0 ? 6 : 4;
                if (!TryInteger(block, ref at, prefix, out var nameIndex)
                    || (nameIndex == 0 && !TrySkipString(block, ref at))
                    || !TrySkipString(block, ref at))
                {
                    return false;
                }
            }
        }

        return false;
    }

    private static bool TrySkipString(ReadOnlySpan<byte> block, ref int at)
    {
        if (at >= block.Length || !TryInteger(block, ref at, 7, out var length) || length > block.Length - at)
        {
            return false;
        }

        at += (int)length;
        return true;
    }

    /// <summary>An N-bit prefix integer (RFC 7541 Section 5.1); false when it is cut off or beyond 2^28.</summary>
    private static bool TryInteger(ReadOnlySpan<byte> block, ref int at, int prefixBits, out long value)
    {
        var max = (1 << prefixBits) - 1;
        value = block[at++] & max;
        if (value < max)
        {
            return true;
        }

        for (var shift = 0; shift <= 28; shift += 7)
        {
            if (at >= block.Length)
            {
                return false;
            }

            var next = block[at++];
            value += (long)(next & 0x7f) << shift;
            if ((next & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
