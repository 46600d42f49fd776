namespace Hxi.Protocols.Quic.Frames;

/// <summary>NEW_CONNECTION_ID (RFC 9000 Section 19.15): a further connection ID the peer may use, with its reset token.</summary>
/// <remarks>
/// <code>
/// NEW_CONNECTION_ID Frame {
///   Type (i) = 0x18,
///   Sequence Number (i),
///   Retire Prior To (i),
///   Length (8),
///   Connection ID (8..160),
///   Stateless Reset Token (128),
/// }
/// </code>
/// </remarks>
public sealed record NewConnectionIdFrame(
    ulong SequenceNumber,
    ulong RetirePriorTo,
    ReadOnlyMemory<byte> ConnectionId,
    ReadOnlyMemory<byte> StatelessResetToken) : QuicFrame
{
    public const int ResetTokenLength = 16;

    public override QuicFrameType Type => QuicFrameType.NewConnectionId;

    public bool Equals(NewConnectionIdFrame? other) =>
        other is not null && SequenceNumber == other.SequenceNumber && RetirePriorTo == other.RetirePriorTo
        && QuicBytes.Equal(ConnectionId, other.ConnectionId) && QuicBytes.Equal(StatelessResetToken, other.StatelessResetToken);

    public override int GetHashCode() => HashCode.Combine(SequenceNumber, RetirePriorTo, QuicBytes.Hash(ConnectionId));

    public override string ToString() =>
        $"NEW_CONNECTION_ID sequence={SequenceNumber} retire_prior_to={RetirePriorTo} cid={QuicBytes.Hex(ConnectionId)} reset_token={QuicBytes.Hex(StatelessResetToken)}";

    internal static NewConnectionIdFrame Read(ref QuicFrameReader reader)
    {
        ulong sequence = reader.ReadVarint("Sequence Number");
        ulong retirePriorTo = reader.ReadVarint("Retire Prior To");
        if (retirePriorTo > sequence)
        {
            throw reader.Error($"Retire Prior To {retirePriorTo} is above Sequence Number {sequence}");
        }

        byte length = reader.ReadByte("Length");
        if (length is < 1 or > QuicConnectionId.MaxLength)
        {
            throw reader.Error($"connection ID length {length} is outside 1..20");
        }

        var connectionId = reader.ReadBytes(length, "Connection ID");
        var token = reader.ReadBytes(ResetTokenLength, "Stateless Reset Token");
        return new NewConnectionIdFrame(sequence, retirePriorTo, connectionId, token);
    }

    private protected override int GetFieldsByteCount()
    {
        if (ConnectionId.Length is < 1 or > QuicConnectionId.MaxLength || StatelessResetToken.Length != ResetTokenLength)
        {
            throw new InvalidOperationException("NEW_CONNECTION_ID needs a 1..20 byte connection ID and a 16-byte reset token");
        }

        return QuicFrameWriter.VarintLength(SequenceNumber) + QuicFrameWriter.VarintLength(RetirePriorTo)
            + 1 + ConnectionId.Length + ResetTokenLength;
    }

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
        writer.WriteVarint(SequenceNumber);
        writer.WriteVarint(RetirePriorTo);
        writer.WriteByte((byte)ConnectionId.Length);
        writer.WriteBytes(ConnectionId.Span);
        writer.WriteBytes(StatelessResetToken.Span);
    }
}
