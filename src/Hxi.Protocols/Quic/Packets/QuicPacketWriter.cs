using System.Buffers.Binary;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Quic.Packets;

/// <summary>Builds QUIC v1 and v2 packets: headers, protected packets with padding, Retry and Version Negotiation.</summary>
/// <remarks>Spans in, lengths out; the protect path allocates nothing.</remarks>
public static class QuicPacketWriter
{
    /// <summary>
    /// Writes an Initial, 0-RTT or Handshake header through the (unprotected) packet number. The Length field
    /// covers the packet number, <paramref name="payloadLength"/> bytes of frames and the AEAD tag.
    /// Returns the header length; the packet number starts at <paramref name="packetNumberOffset"/>.
    /// </summary>
    public static int WriteLongHeader(
        Span<byte> destination,
        QuicPacketType type,
        uint version,
        ReadOnlySpan<byte> destinationConnectionId,
        ReadOnlySpan<byte> sourceConnectionId,
        ReadOnlySpan<byte> token,
        ulong packetNumber,
        int packetNumberLength,
        int payloadLength,
        out int packetNumberOffset,
        int lengthFieldLength = 0)
    {
        if (type is not (QuicPacketType.Initial or QuicPacketType.ZeroRtt or QuicPacketType.Handshake))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "only Initial, 0-RTT and Handshake carry a packet number");
        }

        CheckConnectionId(destinationConnectionId);
        CheckConnectionId(sourceConnectionId);
        if (type != QuicPacketType.Initial && !token.IsEmpty)
        {
            throw new ArgumentException("only Initial packets carry a token", nameof(token));
        }

        ulong length = (ulong)(packetNumberLength + payloadLength + QuicCipherSuites.TagLength);
        int position = 0;
        destination[position++] = (byte)(0xc0 | (QuicPacketTypes.LongTypeBits(type, version) << 4) | (packetNumberLength - 1));
        BinaryPrimitives.WriteUInt32BigEndian(destination[position..], version);
        position += 4;
        position += WriteConnectionId(destination[position..], destinationConnectionId);
        position += WriteConnectionId(destination[position..], sourceConnectionId);
        if (type == QuicPacketType.Initial)
        {
            position += QuicVarint.Write(destination[position..], (ulong)token.Length);
            token.CopyTo(destination[position..]);
            position += token.Length;
        }

        // A wider Length field than the value needs is legal (RFC 9000 Section 16): padding uses it to land exactly on a size.
        if (!QuicVarint.TryWrite(destination[position..], length, lengthFieldLength == 0 ? QuicVarint.GetByteCount(length) : lengthFieldLength, out var lengthWritten))
        {
            throw new ArgumentException("destination too small for the Length field", nameof(destination));
        }

        position += lengthWritten;
        packetNumberOffset = position;
        return position + WritePacketNumber(destination[position..], packetNumber, packetNumberLength);
    }

    /// <summary>The header length <see cref="WriteLongHeader"/> will produce.</summary>
    public static int GetLongHeaderLength(QuicPacketType type, int destinationCidLength, int sourceCidLength, int tokenLength, int packetNumberLength, int payloadLength)
    {
        int length = 1 + 4 + 1 + destinationCidLength + 1 + sourceCidLength;
        if (type == QuicPacketType.Initial)
        {
            length += QuicVarint.GetByteCount((ulong)tokenLength) + tokenLength;
        }

        return length + QuicVarint.GetByteCount((ulong)(packetNumberLength + payloadLength + QuicCipherSuites.TagLength)) + packetNumberLength;
    }

    /// <summary>Writes a 1-RTT header (RFC 9000 Section 17.3.1) through the packet number; returns its length.</summary>
    public static int WriteShortHeader(Span<byte> destination, ReadOnlySpan<byte> destinationConnectionId, bool spinBit, bool keyPhase, ulong packetNumber, int packetNumberLength)
    {
        CheckConnectionId(destinationConnectionId);
        destination[0] = (byte)(0x40 | (spinBit ? 0x20 : 0) | (keyPhase ? 0x04 : 0) | (packetNumberLength - 1));
        destinationConnectionId.CopyTo(destination[1..]);
        int position = 1 + destinationConnectionId.Length;
        return position + WritePacketNumber(destination[position..], packetNumber, packetNumberLength);
    }

    /// <summary>
    /// Writes and protects a whole Initial, 0-RTT or Handshake packet. <paramref name="frames"/> is padded with
    /// PADDING so the header protection sample exists and the packet is at least <paramref name="minimumLength"/>
    /// bytes (pass 1200 minus the other packets of a client's Initial datagram). Returns the packet length.
    /// </summary>
    public static int WriteLongHeaderPacket(
        Span<byte> destination,
        QuicPacketKeys keys,
        QuicPacketType type,
        ReadOnlySpan<byte> destinationConnectionId,
        ReadOnlySpan<byte> sourceConnectionId,
        ReadOnlySpan<byte> token,
        ulong packetNumber,
        int packetNumberLength,
        ReadOnlySpan<byte> frames,
        int minimumLength = 0,
        uint version = QuicVersion.Version1)
    {
        int payloadLength = Math.Max(frames.Length, 4 - packetNumberLength);
        int headerLength = GetLongHeaderLength(type, destinationConnectionId.Length, sourceConnectionId.Length, token.Length, packetNumberLength, payloadLength);
        int shortfall = minimumLength - (headerLength + payloadLength + QuicCipherSuites.TagLength);
        int lengthFieldLength = 0;
        if (shortfall > 0)
        {
            payloadLength += shortfall;
            // Growing the payload can widen the Length varint; take the extra bytes back from the padding and keep the
            // wider field, so the packet is exactly the minimum (a server's 3x budget has no byte to spare).
            int grown = GetLongHeaderLength(type, destinationConnectionId.Length, sourceConnectionId.Length, token.Length, packetNumberLength, payloadLength) - headerLength;
            if (grown > 0)
            {
                lengthFieldLength = QuicVarint.GetByteCount((ulong)(packetNumberLength + payloadLength + QuicCipherSuites.TagLength));
                payloadLength = Math.Max(payloadLength - grown, Math.Max(frames.Length, 4 - packetNumberLength));
            }
        }

        headerLength = WriteLongHeader(destination, type, version, destinationConnectionId, sourceConnectionId, token,
            packetNumber, packetNumberLength, payloadLength, out int packetNumberOffset, lengthFieldLength);
        return Seal(destination, keys, packetNumberOffset, headerLength, packetNumber, frames, payloadLength);
    }

    /// <summary>Writes and protects a whole 1-RTT packet with the Key Phase of <paramref name="keys"/>; returns its length.</summary>
    public static int WriteShortHeaderPacket(
        Span<byte> destination,
        QuicPacketKeys keys,
        ReadOnlySpan<byte> destinationConnectionId,
        bool spinBit,
        ulong packetNumber,
        int packetNumberLength,
        ReadOnlySpan<byte> frames)
    {
        int headerLength = WriteShortHeader(destination, destinationConnectionId, spinBit, keys.KeyPhase, packetNumber, packetNumberLength);
        int payloadLength = Math.Max(frames.Length, 4 - packetNumberLength);
        return Seal(destination, keys, 1 + destinationConnectionId.Length, headerLength, packetNumber, frames, payloadLength);
    }

    /// <summary>Builds a Retry packet (RFC 9000 Section 17.2.5) with its integrity tag over <paramref name="originalDestinationConnectionId"/>.</summary>
    public static byte[] BuildRetry(
        ReadOnlySpan<byte> destinationConnectionId,
        ReadOnlySpan<byte> sourceConnectionId,
        ReadOnlySpan<byte> token,
        ReadOnlySpan<byte> originalDestinationConnectionId,
        byte unusedBits = 0,
        uint version = QuicVersion.Version1)
    {
        CheckConnectionId(destinationConnectionId);
        CheckConnectionId(sourceConnectionId);
        var packet = new byte[7 + destinationConnectionId.Length + sourceConnectionId.Length + token.Length + QuicRetryIntegrity.TagLength];
        packet[0] = (byte)(0xc0 | (QuicPacketTypes.LongTypeBits(QuicPacketType.Retry, version) << 4) | (unusedBits & 0x0f));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(1), version);
        int position = 5;
        position += WriteConnectionId(packet.AsSpan(position), destinationConnectionId);
        position += WriteConnectionId(packet.AsSpan(position), sourceConnectionId);
        token.CopyTo(packet.AsSpan(position));
        position += token.Length;
        QuicRetryIntegrity.ComputeTag(originalDestinationConnectionId, packet.AsSpan(0, position), packet.AsSpan(position), version);
        return packet;
    }

    /// <summary>
    /// Builds a Version Negotiation packet (RFC 9000 Section 17.2.1). Connection IDs up to 255 bytes are
    /// allowed because they echo a client of any version; the fixed bit is set as Section 17.2.1 advises.
    /// </summary>
    public static byte[] BuildVersionNegotiation(
        ReadOnlySpan<byte> destinationConnectionId,
        ReadOnlySpan<byte> sourceConnectionId,
        IReadOnlyList<uint> supportedVersions,
        byte unusedBits = 0)
    {
        if (destinationConnectionId.Length > byte.MaxValue || sourceConnectionId.Length > byte.MaxValue)
        {
            throw new ArgumentException("connection IDs are at most 255 bytes");
        }

        var packet = new byte[7 + destinationConnectionId.Length + sourceConnectionId.Length + 4 * supportedVersions.Count];
        packet[0] = (byte)(0xc0 | (unusedBits & 0x3f));
        int position = 5;
        position += WriteConnectionId(packet.AsSpan(position), destinationConnectionId);
        position += WriteConnectionId(packet.AsSpan(position), sourceConnectionId);
        foreach (uint version in supportedVersions)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(position), version);
            position += 4;
        }

        return packet;
    }

    private static int Seal(Span<byte> destination, QuicPacketKeys keys, int packetNumberOffset, int headerLength, ulong packetNumber, ReadOnlySpan<byte> frames, int payloadLength)
    {
        frames.CopyTo(destination[headerLength..]);
        destination.Slice(headerLength + frames.Length, payloadLength - frames.Length).Clear();
        return keys.Protect(destination, packetNumberOffset, packetNumber, payloadLength);
    }

    private static int WritePacketNumber(Span<byte> destination, ulong packetNumber, int length)
    {
        uint truncated = QuicPacketNumber.Truncate(packetNumber, length);
        for (int i = length - 1; i >= 0; i--)
        {
            destination[i] = (byte)truncated;
            truncated >>= 8;
        }

        return length;
    }

    private static int WriteConnectionId(Span<byte> destination, ReadOnlySpan<byte> connectionId)
    {
        destination[0] = (byte)connectionId.Length;
        connectionId.CopyTo(destination[1..]);
        return 1 + connectionId.Length;
    }

    private static void CheckConnectionId(ReadOnlySpan<byte> connectionId)
    {
        if (connectionId.Length > QuicConnectionId.MaxLength)
        {
            throw new ArgumentException($"QUIC v1 connection IDs are at most {QuicConnectionId.MaxLength} bytes", nameof(connectionId));
        }
    }
}
