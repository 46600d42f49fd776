using System.Buffers.Binary;

namespace Hxi.Protocols.Http2;

/// <summary>The fixed nine-byte frame header of RFC 9113 Section 4.1.</summary>
/// <remarks>
/// <code>
/// HTTP Frame {
///   Length (24),
///   Type (8),
///   Flags (8),
///   Reserved (1),
///   Stream Identifier (31),
///   Frame Payload (..),
/// }
/// </code>
/// </remarks>
public readonly record struct Http2FrameHeader(int Length, byte Type, byte Flags, int StreamId)
{
    public const int Size = 9;

    public bool HasFlag(Http2FrameFlags flag) => (Flags & (byte)flag) != 0;

    public static bool TryRead(ReadOnlySpan<byte> source, out Http2FrameHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }

        var length = (source[0] << 16) | (source[1] << 8) | source[2];
        // The reserved bit "MUST remain unset when sending and MUST be ignored when receiving".
        var streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(source[5..]) & 0x7fff_ffff);
        header = new Http2FrameHeader(length, source[3], source[4], streamId);
        return true;
    }

    public void Write(Span<byte> destination)
    {
        destination[0] = (byte)(Length >> 16);
        destination[1] = (byte)(Length >> 8);
        destination[2] = (byte)Length;
        destination[3] = Type;
        destination[4] = Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], (uint)StreamId & 0x7fff_ffff);
    }
}
