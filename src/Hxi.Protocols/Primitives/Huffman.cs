namespace Hxi.Protocols.Primitives;

/// <summary>The static Huffman code for header strings (RFC 7541 Section 5.2 and Appendix B), shared by HPACK and QPACK.</summary>
public static class Huffman
{
    /// <summary>The encoded length in bytes, including padding.</summary>
    public static int GetEncodedLength(ReadOnlySpan<byte> source)
    {
        ReadOnlySpan<byte> lengths = HuffmanTable.Lengths;
        long bits = 0;
        foreach (byte value in source)
        {
            bits += lengths[value];
        }

        return checked((int)((bits + 7) / 8));
    }

    /// <summary>An upper bound on the decoded length: the shortest code is 5 bits.</summary>
    public static int GetMaxDecodedLength(int encodedLength) => (int)((long)encodedLength * 8 / 5);

    /// <summary>
    /// Encodes <paramref name="source"/>, padding the last byte with the most significant bits of EOS (all ones).
    /// Returns the number of bytes written; <paramref name="destination"/> must hold <see cref="GetEncodedLength"/> bytes.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int needed = GetEncodedLength(source);
        if (destination.Length < needed)
        {
            throw new ArgumentException($"The destination needs {needed} bytes.", nameof(destination));
        }

        ReadOnlySpan<uint> codes = HuffmanTable.Codes;
        ReadOnlySpan<byte> lengths = HuffmanTable.Lengths;

        // Pending bits live in the low end of the accumulator; fewer than 8 remain between symbols and codes
        // are at most 30 bits, so 64 bits never overflow in a way that matters (high bits are already written).
        ulong pending = 0;
        int pendingBits = 0;
        int written = 0;
        foreach (byte value in source)
        {
            pending = (pending << lengths[value]) | codes[value];
            pendingBits += lengths[value];
            while (pendingBits >= 8)
            {
                pendingBits -= 8;
                destination[written++] = (byte)(pending >> pendingBits);
            }
        }

        if (pendingBits > 0)
        {
            destination[written++] = (byte)((pending << (8 - pendingBits)) | (0xffu >> pendingBits));
        }

        return written;
    }

    /// <summary>Decodes <paramref name="source"/>; false if it is not a valid encoding or does not fit.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, Span<byte> destination, out int written) =>
        TryDecode(source, destination, out written, out _);

    /// <summary>
    /// Decodes <paramref name="source"/> four bits at a time. Fails on the EOS symbol, on padding longer
    /// than 7 bits and on padding that is not all ones, as RFC 7541 Section 5.2 requires; a destination of
    /// <see cref="GetMaxDecodedLength"/> bytes is always large enough.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, Span<byte> destination, out int written, out HuffmanError error)
    {
        HuffmanTable.Step[] steps = HuffmanTable.Steps;
        int state = 0;
        written = 0;
        foreach (byte value in source)
        {
            for (int shift = 4; shift >= 0; shift -= 4)
            {
                HuffmanTable.Step step = steps[(state << 4) | ((value >> shift) & 0xf)];
                if ((step.Flags & HuffmanTable.Fails) != 0)
                {
                    error = HuffmanError.EndOfStringSymbol;
                    return false;
                }

                if ((step.Flags & HuffmanTable.EmitsSymbol) != 0)
                {
                    if (written == destination.Length)
                    {
                        error = HuffmanError.DestinationTooSmall;
                        return false;
                    }

                    destination[written++] = step.Symbol;
                }

                state = step.NextState;
            }
        }

        if (!HuffmanTable.IsEosPrefix[state])
        {
            error = HuffmanError.PaddingNotEndOfString;
            return false;
        }

        if (HuffmanTable.Depth[state] > 7)
        {
            error = HuffmanError.PaddingTooLong;
            return false;
        }

        error = HuffmanError.None;
        return true;
    }
}
