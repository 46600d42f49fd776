namespace Hxi.Fuzz;

/// <summary>Helpers to lay seed inputs out in the format a target's <see cref="FuzzInput"/> reads.</summary>
public static class SeedBuilder
{
    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    /// <summary>Option bytes followed by the pieces, each prefixed with its one-byte length.</summary>
    public static byte[] Pieces(ReadOnlySpan<byte> options, params byte[][] pieces)
    {
        var output = new List<byte>(options.ToArray());
        foreach (var piece in pieces)
        {
            if (piece.Length > byte.MaxValue)
            {
                throw new ArgumentException($"a seed piece of {piece.Length} bytes does not fit a one-byte length", nameof(pieces));
            }

            output.Add((byte)piece.Length);
            output.AddRange(piece);
        }

        return [.. output];
    }

    /// <summary>Option bytes followed by the pieces, each prefixed with its two-byte length.</summary>
    public static byte[] LongPieces(ReadOnlySpan<byte> options, params byte[][] pieces)
    {
        var output = new List<byte>(options.ToArray());
        foreach (var piece in pieces)
        {
            output.Add((byte)(piece.Length >> 8));
            output.Add((byte)piece.Length);
            output.AddRange(piece);
        }

        return [.. output];
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
