using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>
/// How <see cref="QuicConnection.WriteRawPacket"/> shapes a packet: which space, header bits a conforming endpoint never
/// sets, and padding (a client's Initial datagram must be 1200 bytes, RFC 9000 Section 14.1).
/// </summary>
/// <param name="ReservedBits">The two reserved header bits (0..3), set before header protection: RFC 9000 Section 17 forbids any but 0.</param>
/// <param name="MinimumLength">The packet is padded with PADDING frames to at least this many bytes.</param>
/// <param name="PacketNumberLength">1..4 bytes; with 4 the payload may be empty (the sample lies in the tag).</param>
/// <param name="NextKeyPhase">A 1-RTT packet protected with the next generation of keys (a key update, RFC 9001 Section 6) without switching to them.</param>
public readonly record struct QuicRawPacketShape(QuicPacketNumberSpace Space, byte ReservedBits = 0, int MinimumLength = 0, int PacketNumberLength = 4, bool NextKeyPhase = false);

public sealed partial class QuicConnection
{
    /// <summary>Whether <see cref="WriteRawPacket"/> can protect a packet of <paramref name="space"/> now.</summary>
    public bool CanWriteRawPacket(QuicPacketNumberSpace space) => !IsTerminated && _spaces[(int)space] is { Discarded: false, SendKeys: not null };

    /// <summary>
    /// Writes one packet carrying exactly <paramref name="frames"/> (bytes as they go on the wire, legal or not) with this
    /// connection's keys, connection IDs and next packet number: hxi check's way to put any frame in any packet type.
    /// The packet is not tracked for loss or acknowledgement; its frames are the caller's business.
    /// </summary>
    /// <returns>The packet's length; <paramref name="packetNumber"/> is the number it was given.</returns>
    public int WriteRawPacket(Span<byte> destination, ReadOnlySpan<byte> frames, QuicRawPacketShape shape, out long packetNumber)
    {
        if (!CanWriteRawPacket(shape.Space) || shape.PacketNumberLength is < 1 or > 4 || shape.ReservedBits > 3)
        {
            throw new InvalidOperationException($"no {shape.Space} packet can be written now (keys missing or discarded, or a bad shape)");
        }

        var space = _spaces[(int)shape.Space];
        // Not disposed: the next generation shares the current header protection key and would take it along.
        var next = shape.NextKeyPhase && shape.Space == QuicPacketNumberSpace.ApplicationData ? space.SendKeys!.NextGeneration() : null;
        var keys = next ?? space.SendKeys!;
        packetNumber = space.NextPacketNumber++;
        var pnLength = shape.PacketNumberLength;
        int headerLength;
        int pnOffset;
        QuicPacketType type;
        int payloadLength;
        if (shape.Space == QuicPacketNumberSpace.ApplicationData)
        {
            type = QuicPacketType.OneRtt;
            payloadLength = Math.Max(frames.Length, Math.Max(4 - pnLength, shape.MinimumLength - (1 + _destinationConnectionId.Length + pnLength + QuicCipherSuites.TagLength)));
            headerLength = QuicPacketWriter.WriteShortHeader(destination, _destinationConnectionId, false, keys.KeyPhase, (ulong)packetNumber, pnLength);
            pnOffset = 1 + _destinationConnectionId.Length;
            destination[0] |= (byte)(shape.ReservedBits << 3);
        }
        else
        {
            type = shape.Space == QuicPacketNumberSpace.Initial ? QuicPacketType.Initial : QuicPacketType.Handshake;
            var token = type == QuicPacketType.Initial && Role == QuicRole.Client ? _token : [];
            // A two-byte Length field, whatever the value: the header's size is then known before the padding is.
            var fixedHeader = 1 + 4 + 1 + _destinationConnectionId.Length + 1 + _sourceConnectionId.Length
                + (type == QuicPacketType.Initial ? QuicVarint.GetByteCount((ulong)token.Length) + token.Length : 0) + 2 + pnLength;
            payloadLength = Math.Max(frames.Length, Math.Max(4 - pnLength, shape.MinimumLength - fixedHeader - QuicCipherSuites.TagLength));
            headerLength = QuicPacketWriter.WriteLongHeader(destination, type, QuicVersion.Version1, _destinationConnectionId, _sourceConnectionId, token,
                (ulong)packetNumber, pnLength, payloadLength, out pnOffset, lengthFieldLength: 2);
            destination[0] |= (byte)(shape.ReservedBits << 2);
        }

        frames.CopyTo(destination[headerLength..]);
        destination.Slice(headerLength + frames.Length, payloadLength - frames.Length).Clear();
        var length = keys.Protect(destination, pnOffset, (ulong)packetNumber, payloadLength);
        if (_tracing)
        {
            var bytes = frames.ToArray();
            var decoded = TryDecodeForTrace(bytes);
            _tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, destination[..length].ToArray(),
                new QuicPacketTrace(type, QuicVersion.Version1, _destinationConnectionId, type == QuicPacketType.OneRtt ? ReadOnlyMemory<byte>.Empty : _sourceConnectionId,
                    packetNumber, length, type == QuicPacketType.OneRtt && keys.KeyPhase, decoded ?? [],
                    decoded is null ? $"raw frames that do not decode: {Convert.ToHexStringLower(bytes.AsSpan(0, Math.Min(bytes.Length, 32)))}{(bytes.Length > 32 ? "..." : "")}" : null)));
        }

        Statistics.PacketsSent++;
        return length;
    }

    // Raw frames are often malformed on purpose: the wire view then shows their bytes instead.
    private static List<Frames.QuicFrame>? TryDecodeForTrace(byte[] frames)
    {
        try
        {
            return frames.Length == 0 ? [] : Frames.QuicFrameDecoder.DecodeAll(frames);
        }
        catch (QuicTransportException)
        {
            return null;
        }
    }
}
