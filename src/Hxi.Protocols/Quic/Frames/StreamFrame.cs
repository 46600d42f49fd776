using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Quic.Frames;

/// <summary>STREAM (RFC 9000 Section 19.8): stream data at an offset, perhaps ending the stream.</summary>
/// <remarks>
/// <code>
/// STREAM Frame {
///   Type (i) = 0x08..0x0f,      OFF = 0x04, LEN = 0x02, FIN = 0x01
///   Stream ID (i),
///   [Offset (i)],
///   [Length (i)],
///   Stream Data (..),
/// }
/// </code>
/// The OFF bit is written only when <see cref="Offset"/> is non-zero. <see cref="HasLength"/> false
/// drops the Length field, so the data runs to the end of the packet: only for the last frame.
/// </remarks>
public sealed record StreamFrame(ulong StreamId, ulong Offset, ReadOnlyMemory<byte> Data, bool Fin, bool HasLength = true)
    : QuicFrame
{
    public const byte OffBit = 0x04;
    public const byte LenBit = 0x02;
    public const byte FinBit = 0x01;

    public override QuicFrameType Type => QuicFrameType.Stream;

    public override ulong TypeCode =>
        (ulong)QuicFrameType.Stream | (Offset != 0 ? OffBit : 0u) | (HasLength ? LenBit : 0u) | (Fin ? FinBit : 0u);

    public bool Equals(StreamFrame? other) =>
        other is not null && StreamId == other.StreamId && Offset == other.Offset && Fin == other.Fin
        && HasLength == other.HasLength && QuicBytes.Equal(Data, other.Data);

    public override int GetHashCode() => HashCode.Combine(StreamId, Offset, Fin, QuicBytes.Hash(Data));

    public override string ToString() =>
        $"STREAM id={StreamId} offset={Offset} length={Data.Length}{(Fin ? " FIN" : "")}";

    internal static StreamFrame Read(ref QuicFrameReader reader, ulong typeCode)
    {
        ulong streamId = reader.ReadVarint("Stream ID");
        ulong offset = (typeCode & OffBit) != 0 ? reader.ReadVarint("Offset") : 0;
        bool hasLength = (typeCode & LenBit) != 0;
        var data = hasLength ? reader.ReadBytes(reader.ReadVarint("Length"), "Stream Data") : reader.ReadToEnd();
        if (offset + (ulong)data.Length > QuicVarint.MaxValue)
        {
            throw reader.Error($"stream data ends past 2^62-1 (offset {offset})");
        }

        return new StreamFrame(streamId, offset, data, (typeCode & FinBit) != 0, hasLength);
    }

    private protected override int GetFieldsByteCount() =>
        QuicFrameWriter.VarintLength(StreamId)
        + (Offset != 0 ? QuicFrameWriter.VarintLength(Offset) : 0)
        + (HasLength ? QuicFrameWriter.VarintLength((ulong)Data.Length) : 0)
        + Data.Length;

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
        writer.WriteVarint(StreamId);
        if (Offset != 0)
        {
            writer.WriteVarint(Offset);
        }

        if (HasLength)
        {
            writer.WriteVarint((ulong)Data.Length);
        }

        writer.WriteBytes(Data.Span);
    }
}
