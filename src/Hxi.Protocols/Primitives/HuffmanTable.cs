namespace Hxi.Protocols.Primitives;

/// <remarks>
/// The decoder consumes four bits per step. Its states are the 256 internal nodes of the code tree
/// (257 leaves), so a step is one lookup in a 256 x 16 table. No code is shorter than five bits, so a
/// step completes at most one symbol.
/// </remarks>
internal static partial class HuffmanTable
{
    internal const int StateCount = 256;

    /// <summary>The step emits <see cref="Step.Symbol"/>.</summary>
    internal const byte EmitsSymbol = 1;

    /// <summary>The step completed the EOS code, which RFC 7541 Section 5.2 makes an error.</summary>
    internal const byte Fails = 2;

    /// <summary>Transitions indexed by <c>state * 16 + nibble</c>.</summary>
    internal static readonly Step[] Steps;

    /// <summary>Per state: the bits since the last symbol are all ones (a prefix of EOS), so they may be padding.</summary>
    internal static readonly bool[] IsEosPrefix;

    /// <summary>Per state: how many bits have been read since the last complete symbol.</summary>
    internal static readonly byte[] Depth;

    internal readonly record struct Step(byte NextState, byte Symbol, byte Flags);

    static HuffmanTable()
    {
        // Child links of each internal node: >= 0 is another internal node, < 0 is the leaf ~symbol.
        var children = new int[StateCount * 2];
        Depth = new byte[StateCount];
        IsEosPrefix = new bool[StateCount];
        IsEosPrefix[0] = true;
        int nodeCount = 1;
        ReadOnlySpan<uint> codes = Codes;
        ReadOnlySpan<byte> lengths = Lengths;
        for (int symbol = 0; symbol <= EndOfString; symbol++)
        {
            int node = 0;
            for (int bitIndex = lengths[symbol] - 1; bitIndex >= 0; bitIndex--)
            {
                int bit = (int)(codes[symbol] >> bitIndex) & 1;
                ref int child = ref children[node * 2 + bit];
                if (bitIndex == 0)
                {
                    child = ~symbol;
                    break;
                }

                if (child == 0)
                {
                    child = nodeCount++;
                    Depth[child] = (byte)(Depth[node] + 1);
                    IsEosPrefix[child] = IsEosPrefix[node] && bit == 1;
                }

                node = child;
            }
        }

        Steps = new Step[StateCount * 16];
        for (int state = 0; state < StateCount; state++)
        {
            for (int nibble = 0; nibble < 16; nibble++)
            {
                Steps[state * 16 + nibble] = Walk(children, state, nibble);
            }
        }
    }

    private static Step Walk(int[] children, int state, int nibble)
    {
        int node = state;
        byte symbol = 0;
        byte flags = 0;
        for (int bitIndex = 3; bitIndex >= 0; bitIndex--)
        {
            int child = children[node * 2 + ((nibble >> bitIndex) & 1)];
            if (child >= 0)
            {
                node = child;
                continue;
            }

            if (~child == EndOfString)
            {
                return new Step(0, 0, Fails);
            }

            symbol = (byte)~child;
            flags = EmitsSymbol;
            node = 0;
        }

        return new Step((byte)node, symbol, flags);
    }
}
