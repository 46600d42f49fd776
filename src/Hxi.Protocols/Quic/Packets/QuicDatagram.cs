using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Quic.Packets;

/// <summary>The packets coalesced in one UDP datagram (RFC 9000 Section 12.2), and what was dropped.</summary>
/// <param name="Packets">The packets that parsed, in datagram order.</param>
/// <param name="DroppedOffset">Where the unparsed rest starts, or the datagram length when nothing was dropped.</param>
/// <param name="DroppedReason">Why the rest was dropped, or null.</param>
public sealed record QuicDatagram(IReadOnlyList<QuicPacketHeader> Packets, int DroppedOffset, string? DroppedReason)
{
    /// <summary>A client's datagrams carrying Initial packets must be at least this long (RFC 9000 Section 14.1).</summary>
    public const int MinimumInitialDatagramLength = 1200;

    /// <summary>
    /// Splits a datagram: long-header packets end where their Length says; a short header, Retry or
    /// Version Negotiation packet takes the rest. Parsing stops at the first malformed packet, and at a
    /// packet whose Destination Connection ID differs from the first one's, which the RFC says to ignore.
    /// </summary>
    public static QuicDatagram Split(ReadOnlyMemory<byte> datagram, int shortHeaderConnectionIdLength)
    {
        var packets = new List<QuicPacketHeader>(2);
        int offset = 0;
        while (offset < datagram.Length)
        {
            if (!QuicPacketParser.TryParse(datagram[offset..], shortHeaderConnectionIdLength, out var header, out string error))
            {
                return new QuicDatagram(packets, offset, error);
            }

            if (packets.Count > 0 && !QuicBytes.Equal(header.DestinationConnectionId, packets[0].DestinationConnectionId))
            {
                return new QuicDatagram(packets, offset, "coalesced packet with a different Destination Connection ID");
            }

            packets.Add(header with { DatagramOffset = offset });
            offset += header.Packet.Length;
        }

        return new QuicDatagram(packets, datagram.Length, null);
    }

    public bool Equals(QuicDatagram? other) =>
        other is not null && DroppedOffset == other.DroppedOffset && DroppedReason == other.DroppedReason
        && Packets.SequenceEqual(other.Packets);

    public override int GetHashCode() => HashCode.Combine(Packets.Count, DroppedOffset);
}
