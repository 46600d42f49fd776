using System.Buffers.Binary;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Quic.Frames;

/// <summary>
/// Reads frame fields from a hostile payload: anything that runs past the end or breaks a field's
/// range is a <see cref="QuicTransportException"/> naming the frame type, never another exception.
/// </summary>
internal ref struct QuicFrameReader(ReadOnlyMemory<byte> payload, int position)
{
    private readonly ReadOnlyMemory<byte> _payload = payload;

    public int Position { get; private set; } = position;

    /// <summary>The Frame Type field of the frame being read, for error reports.</summary>
    public ulong FrameType { get; set; }

    public readonly int Remaining => _payload.Length - Position;

    public readonly bool AtEnd => Position >= _payload.Length;

    public ulong ReadVarint(string field)
    {
        if (!QuicVarint.TryRead(_payload.Span[Position..], out ulong value, out int consumed))
        {
            throw Error($"truncated {field}");
        }

        Position += consumed;
        return value;
    }

    public ulong ReadUInt64(string field)
    {
        if (Remaining < 8)
        {
            throw Error($"truncated {field}");
        }

        ulong value = BinaryPrimitives.ReadUInt64BigEndian(_payload.Span[Position..]);
        Position += 8;
        return value;
    }

    public byte ReadByte(string field)
    {
        if (AtEnd)
        {
            throw Error($"truncated {field}");
        }

        return _payload.Span[Position++];
    }

    /// <summary>A slice of <paramref name="length"/> bytes; a length past the end is FRAME_ENCODING_ERROR.</summary>
    public ReadOnlyMemory<byte> ReadBytes(ulong length, string field)
    {
        if (length > (ulong)Remaining)
        {
            throw Error($"{field} length {length} runs past the end of the packet ({Remaining} bytes left)");
        }

        var slice = _payload.Slice(Position, (int)length);
        Position += (int)length;
        return slice;
    }

    public ReadOnlyMemory<byte> ReadToEnd()
    {
        var rest = _payload[Position..];
        Position = _payload.Length;
        return rest;
    }

    /// <summary>Counts the zero bytes from the current position, for PADDING runs.</summary>
    public int SkipZeros()
    {
        var rest = _payload.Span[Position..];
        int run = rest.IndexOfAnyExcept((byte)0);
        run = run < 0 ? rest.Length : run;
        Position += run;
        return run;
    }

    public readonly QuicTransportException Error(string reason) =>
        new(QuicTransportErrorCode.FrameEncodingError, FrameType, reason);

    public readonly QuicTransportException Error(QuicTransportErrorCode code, string reason) =>
        new(code, FrameType, reason);
}
