namespace Hxi.Protocols.Quic.Frames;

/// <summary>RETIRE_CONNECTION_ID (RFC 9000 Section 19.16): the sender will no longer use the peer's connection ID with this sequence number.</summary>
/// <remarks>
/// <code>
/// RETIRE_CONNECTION_ID Frame {
///   Type (i) = 0x19,
///   Sequence Number (i),
/// }
/// </code>
/// </remarks>
public sealed record RetireConnectionIdFrame(ulong SequenceNumber) : QuicFrame
{
    public override QuicFrameType Type => QuicFrameType.RetireConnectionId;

    public override string ToString() => $"RETIRE_CONNECTION_ID sequence={SequenceNumber}";

    internal static RetireConnectionIdFrame Read(ref QuicFrameReader reader) => new(reader.ReadVarint("Sequence Number"));

    private protected override int GetFieldsByteCount() => QuicFrameWriter.VarintLength(SequenceNumber);

    private protected override void WriteFields(ref QuicFrameWriter writer) => writer.WriteVarint(SequenceNumber);
}
