namespace Hxi.Protocols.Primitives;

/// <summary>Why a Huffman-coded string was rejected (RFC 7541 Section 5.2).</summary>
public enum HuffmanError
{
    None,

    /// <summary>The string contains the complete EOS code.</summary>
    EndOfStringSymbol,

    /// <summary>The trailing bits are a prefix of EOS but longer than 7 bits.</summary>
    PaddingTooLong,

    /// <summary>The trailing bits are not all ones, i.e. a truncated symbol rather than padding.</summary>
    PaddingNotEndOfString,

    /// <summary>The decoded string does not fit in the destination.</summary>
    DestinationTooSmall,
}
