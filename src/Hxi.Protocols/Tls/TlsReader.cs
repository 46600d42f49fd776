using System.Buffers.Binary;

namespace Hxi.Protocols.Tls;

/// <summary>Reads TLS presentation-language fields (RFC 9846 Section 3) from hostile input.</summary>
/// <remarks>Every read is bounds-checked; running off the end is a decode_error, never an index exception.</remarks>
internal ref struct TlsReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    public readonly int Remaining => data.Length - position;

    public readonly bool IsEmpty => position == data.Length;

    public byte ReadUInt8() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public int ReadUInt24()
    {
        var bytes = Take(3);
        return (bytes[0] << 16) | (bytes[1] << 8) | bytes[2];
    }

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    /// <summary>An opaque vector with a 1-byte length, whose length must lie in [min, max].</summary>
    public ReadOnlySpan<byte> ReadVector8(int min, int max, string what) => Bounded(ReadUInt8(), min, max, what);

    public ReadOnlySpan<byte> ReadVector16(int min, int max, string what) => Bounded(ReadUInt16(), min, max, what);

    public ReadOnlySpan<byte> ReadVector24(int min, int max, string what) => Bounded(ReadUInt24(), min, max, what);

    /// <summary>Trailing bytes after a structure mean the sender and we disagree on its shape.</summary>
    public readonly void EnsureEnd(string what)
    {
        if (!IsEmpty)
        {
            throw TlsAlertException.Decode($"{Remaining} unexpected trailing bytes after {what}");
        }
    }

    private ReadOnlySpan<byte> Bounded(int length, int min, int max, string what)
    {
        if (length < min || length > max)
        {
            throw TlsAlertException.Decode($"{what} length {length} outside [{min}, {max}]");
        }

        if (length > Remaining)
        {
            throw TlsAlertException.Decode($"{what} length {length} runs past the end ({Remaining} bytes left)");
        }

        return Take(length);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw TlsAlertException.Decode($"truncated: needed {count} bytes, {Remaining} left");
        }

        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }
}
