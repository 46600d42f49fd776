using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Quic.Frames;

/// <summary>Decodes the frames of a decrypted packet payload (RFC 9000 Section 12.4).</summary>
/// <remarks>
/// The payload is hostile: every failure is a <see cref="QuicTransportException"/> with the RFC's code
/// (FRAME_ENCODING_ERROR for malformed or unknown frames, PROTOCOL_VIOLATION for frames in the wrong
/// packet type, an empty payload, or an overlong frame type). Each frame consumes at least one byte,
/// so decoding ends in at most one step per byte.
/// </remarks>
public static class QuicFrameDecoder
{
    /// <summary>Decodes the frame at <paramref name="offset"/> and advances it past the frame.</summary>
    public static QuicFrame Decode(ReadOnlyMemory<byte> payload, ref int offset)
    {
        var reader = new QuicFrameReader(payload, offset);
        var frame = ReadFrame(ref reader);
        offset = reader.Position;
        return frame;
    }

    /// <summary>Decodes every frame of a payload, checking each against the table for <paramref name="space"/>.</summary>
    public static List<QuicFrame> DecodeAll(ReadOnlyMemory<byte> payload, QuicPacketSpaces space)
    {
        var frames = DecodeAll(payload);
        foreach (var frame in frames)
        {
            QuicFrameRules.EnsureAllowed(frame.TypeCode, space);
        }

        return frames;
    }

    /// <summary>Decodes every frame of a payload without the packet-type check.</summary>
    public static List<QuicFrame> DecodeAll(ReadOnlyMemory<byte> payload)
    {
        if (payload.IsEmpty)
        {
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, 0, "packet payload contains no frames");
        }

        var frames = new List<QuicFrame>();
        var reader = new QuicFrameReader(payload, 0);
        while (!reader.AtEnd)
        {
            frames.Add(ReadFrame(ref reader));
        }

        return frames;
    }

    private static QuicFrame ReadFrame(ref QuicFrameReader reader)
    {
        int start = reader.Position;
        reader.FrameType = 0;
        ulong type = reader.ReadVarint("Frame Type");
        reader.FrameType = type;
        if (reader.Position - start != QuicVarint.GetByteCount(type))
        {
            throw reader.Error(QuicTransportErrorCode.ProtocolViolation, $"frame type 0x{type:x} is not in its shortest encoding");
        }

        return type switch
        {
            0x00 => PaddingFrame.Read(ref reader),
            0x01 => PingFrame.Instance,
            0x02 or 0x03 => AckFrame.Read(ref reader, withEcn: type == 0x03),
            0x04 => ResetStreamFrame.Read(ref reader),
            0x05 => StopSendingFrame.Read(ref reader),
            0x06 => CryptoFrame.Read(ref reader),
            0x07 => NewTokenFrame.Read(ref reader),
            >= 0x08 and <= 0x0f => StreamFrame.Read(ref reader, type),
            0x10 => MaxDataFrame.Read(ref reader),
            0x11 => MaxStreamDataFrame.Read(ref reader),
            0x12 or 0x13 => MaxStreamsFrame.Read(ref reader, bidirectional: type == 0x12),
            0x14 => DataBlockedFrame.Read(ref reader),
            0x15 => StreamDataBlockedFrame.Read(ref reader),
            0x16 or 0x17 => StreamsBlockedFrame.Read(ref reader, bidirectional: type == 0x16),
            0x18 => NewConnectionIdFrame.Read(ref reader),
            0x19 => RetireConnectionIdFrame.Read(ref reader),
            0x1a => PathChallengeFrame.Read(ref reader),
            0x1b => PathResponseFrame.Read(ref reader),
            0x1c or 0x1d => ConnectionCloseFrame.Read(ref reader, isApplication: type == 0x1d),
            0x1e => HandshakeDoneFrame.Instance,
            _ => throw reader.Error($"unknown frame type 0x{type:x}"),
        };
    }
}
