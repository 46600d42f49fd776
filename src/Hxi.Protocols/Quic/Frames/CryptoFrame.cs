using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Quic.Frames;

/// <summary>CRYPTO (RFC 9000 Section 19.6): TLS handshake bytes at an offset of the level's crypto stream.</summary>
/// <remarks>
/// <code>
/// CRYPTO Frame {
///   Type (i) = 0x06,
///   Offset (i),
///   Length (i),
///   Crypto Data (..),
/// }
/// </code>
/// </remarks>
public sealed record CryptoFrame(ulong Offset, ReadOnlyMemory<byte> Data) : QuicFrame
{
    public override QuicFrameType Type => QuicFrameType.Crypto;

    public bool Equals(CryptoFrame? other) => other is not null && Offset == other.Offset && QuicBytes.Equal(Data, other.Data);

    public override int GetHashCode() => HashCode.Combine(Offset, QuicBytes.Hash(Data));

    public override string ToString() => $"CRYPTO offset={Offset} length={Data.Length}";

    internal static CryptoFrame Read(ref QuicFrameReader reader)
    {
        ulong offset = reader.ReadVarint("Offset");
        ulong length = reader.ReadVarint("Length");
        var data = reader.ReadBytes(length, "Crypto Data");
        if (offset + (ulong)data.Length > QuicVarint.MaxValue)
        {
            throw reader.Error(QuicTransportErrorCode.CryptoBufferExceeded, $"crypto data ends past 2^62-1 (offset {offset})");
        }

        return new CryptoFrame(offset, data);
    }

    private protected override int GetFieldsByteCount() =>
        QuicFrameWriter.VarintLength(Offset) + QuicFrameWriter.VarintLength((ulong)Data.Length) + Data.Length;

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
        writer.WriteVarint(Offset);
        writer.WriteVarint((ulong)Data.Length);
        writer.WriteBytes(Data.Span);
    }
}
