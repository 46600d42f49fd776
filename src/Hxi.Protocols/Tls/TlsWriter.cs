using System.Buffers.Binary;

namespace Hxi.Protocols.Tls;

/// <summary>Writes TLS presentation-language fields; length prefixes are patched when a vector closes.</summary>
internal sealed class TlsWriter
{
    private byte[] buffer = new byte[256];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => buffer.AsSpan(0, Length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void WriteUInt8(byte value) => Grow(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), value);

    public void WriteUInt24(int value)
    {
        var span = Grow(3);
        span[0] = (byte)(value >> 16);
        span[1] = (byte)(value >> 8);
        span[2] = (byte)value;
    }

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    /// <summary>Reserves a length prefix of <paramref name="prefixBytes"/> bytes; pass the result to <see cref="EndVector"/>.</summary>
    public int BeginVector(int prefixBytes)
    {
        Grow(prefixBytes).Clear();
        return (Length << 2) | prefixBytes;
    }

    public void EndVector(int token)
    {
        var prefixBytes = token & 3;
        var end = token >> 2;
        var length = Length - end;
        var max = (1 << (8 * prefixBytes)) - 1;
        if (length > max)
        {
            throw new InvalidOperationException($"vector of {length} bytes does not fit a {prefixBytes}-byte length");
        }

        for (var i = 0; i < prefixBytes; i++)
        {
            buffer[end - 1 - i] = (byte)(length >> (8 * i));
        }
    }

    public void WriteVector8(ReadOnlySpan<byte> bytes)
    {
        var v = BeginVector(1);
        WriteBytes(bytes);
        EndVector(v);
    }

    public void WriteVector16(ReadOnlySpan<byte> bytes)
    {
        var v = BeginVector(2);
        WriteBytes(bytes);
        EndVector(v);
    }

    public void WriteVector24(ReadOnlySpan<byte> bytes)
    {
        var v = BeginVector(3);
        WriteBytes(bytes);
        EndVector(v);
    }

    private Span<byte> Grow(int count)
    {
        if (Length + count > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, Length + count));
        }

        var span = buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
