namespace Hxi.Protocols.Quic.Frames;

/// <summary>NEW_TOKEN (RFC 9000 Section 19.7): a token for the Initial packets of a future connection.</summary>
/// <remarks>
/// <code>
/// NEW_TOKEN Frame {
///   Type (i) = 0x07,
///   Token Length (i),
///   Token (..),
/// }
/// </code>
/// </remarks>
public sealed record NewTokenFrame(ReadOnlyMemory<byte> Token) : QuicFrame
{
    public override QuicFrameType Type => QuicFrameType.NewToken;

    public bool Equals(NewTokenFrame? other) => other is not null && QuicBytes.Equal(Token, other.Token);

    public override int GetHashCode() => QuicBytes.Hash(Token);

    public override string ToString() => $"NEW_TOKEN length={Token.Length} token={QuicBytes.Hex(Token)}";

    internal static NewTokenFrame Read(ref QuicFrameReader reader)
    {
        var token = reader.ReadBytes(reader.ReadVarint("Token Length"), "Token");
        return token.IsEmpty ? throw reader.Error("empty token") : new NewTokenFrame(token);
    }

    private protected override int GetFieldsByteCount() => QuicFrameWriter.VarintLength((ulong)Token.Length) + Token.Length;

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
        writer.WriteVarint((ulong)Token.Length);
        writer.WriteBytes(Token.Span);
    }
}
