using System.Buffers.Binary;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Quic.Frames;

/// <summary>Sequential writes into a span already checked to be large enough by <see cref="QuicFrame.GetByteCount"/>.</summary>
internal ref struct QuicFrameWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;

    public int Position { get; private set; }

    public static int VarintLength(ulong value) => QuicVarint.GetByteCount(value);

    public void WriteVarint(ulong value) => Position += QuicVarint.Write(_destination[Position..], value);

    public void WriteByte(byte value) => _destination[Position++] = value;

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_destination[Position..], value);
        Position += 8;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[Position..]);
        Position += bytes.Length;
    }

    public void WriteZeros(int count)
    {
        _destination.Slice(Position, count).Clear();
        Position += count;
    }
}
