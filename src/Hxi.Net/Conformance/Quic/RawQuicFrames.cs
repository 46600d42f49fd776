using Hxi.Protocols.Primitives;

namespace Hxi.Net.Conformance.Quic;

/// <summary>
/// Frame bytes as a case wants them on the wire, legal or not: values past 2^60, impossible lengths, unknown types. The
/// core's frame records refuse to encode most of these, so cases spell them out field by field.
/// </summary>
public sealed class RawQuicFrames
{
    private readonly List<byte> _bytes = [];

    public RawQuicFrames Varint(ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        var length = QuicVarint.Write(buffer, value);
        _bytes.AddRange(buffer[..length]);
        return this;
    }

    public RawQuicFrames Bytes(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public RawQuicFrames Zeros(int count)
    {
        _bytes.AddRange(new byte[count]);
        return this;
    }

    /// <summary>STREAM with Offset, Length and (optionally) FIN bits: type 0x0e or 0x0f.</summary>
    public RawQuicFrames Stream(ulong streamId, ulong offset, byte[] data, bool fin = false) =>
        Varint(fin ? 0x0fUL : 0x0eUL).Varint(streamId).Varint(offset).Varint((ulong)data.Length).Bytes(data);

    public RawQuicFrames Ping() => Varint(0x01);

    public byte[] ToArray() => [.. _bytes];

    public static RawQuicFrames Start() => new();
}
