using System.Buffers.Binary;

namespace Hxi.Net.Tests;

/// <summary>What an on-path observer can read of a QUIC packet without keys: its header form and long-header type.</summary>
public enum SniffedPacket
{
    Initial,
    ZeroRtt,
    Handshake,
    Retry,
    VersionNegotiation,
    OneRtt,
    Unreadable,
}

/// <summary>
/// Reads the unprotected parts of the packets in a datagram (RFC 8999 invariants, RFC 9000 Section 17.2 long headers,
/// the QUIC v2 type bits of RFC 9369 Section 3.2), as the interop runner reads a capture: which packet types a peer
/// sent, through the relay, with no keys.
/// </summary>
public static class QuicDatagramSniffer
{
    public const uint Version1 = 0x00000001;

    public const uint Version2 = 0x6b3343cf;

    public static IReadOnlyList<SniffedPacket> Packets(ReadOnlySpan<byte> datagram)
    {
        var packets = new List<SniffedPacket>();
        while (datagram.Length > 0)
        {
            if ((datagram[0] & 0x80) == 0)
            {
                // A short header runs to the end of the datagram.
                packets.Add(SniffedPacket.OneRtt);
                break;
            }

            if (datagram.Length < 7)
            {
                packets.Add(SniffedPacket.Unreadable);
                break;
            }

            var version = BinaryPrimitives.ReadUInt32BigEndian(datagram[1..]);
            if (version == 0)
            {
                packets.Add(SniffedPacket.VersionNegotiation);
                break;
            }

            var type = Type(version, (datagram[0] >> 4) & 0x3);
            packets.Add(type);
            if (type is SniffedPacket.Retry or SniffedPacket.Unreadable || !TrySkipLongPacket(ref datagram, type))
            {
                break;
            }
        }

        return packets;
    }

    private static SniffedPacket Type(uint version, int bits) => version switch
    {
        Version1 => bits switch { 0 => SniffedPacket.Initial, 1 => SniffedPacket.ZeroRtt, 2 => SniffedPacket.Handshake, _ => SniffedPacket.Retry },
        Version2 => bits switch { 1 => SniffedPacket.Initial, 2 => SniffedPacket.ZeroRtt, 3 => SniffedPacket.Handshake, _ => SniffedPacket.Retry },
        _ => SniffedPacket.Unreadable,
    };

    private static bool TrySkipLongPacket(ref ReadOnlySpan<byte> datagram, SniffedPacket type)
    {
        var offset = 5;
        for (var i = 0; i < 2; i++)
        {
            if (offset >= datagram.Length)
            {
                return false;
            }

            offset += 1 + datagram[offset];
        }

        if (type == SniffedPacket.Initial)
        {
            if (!TryVarint(datagram, ref offset, out var tokenLength))
            {
                return false;
            }

            offset += (int)Math.Min(tokenLength, int.MaxValue / 2);
        }

        if (!TryVarint(datagram, ref offset, out var length) || length > (ulong)(datagram.Length - offset))
        {
            return false;
        }

        datagram = datagram[(offset + (int)length)..];
        return true;
    }

    private static bool TryVarint(ReadOnlySpan<byte> data, ref int offset, out ulong value)
    {
        value = 0;
        if (offset >= data.Length)
        {
            return false;
        }

        var size = 1 << (data[offset] >> 6);
        if (offset + size > data.Length)
        {
            return false;
        }

        value = (ulong)(data[offset] & 0x3f);
        for (var i = 1; i < size; i++)
        {
            value = (value << 8) | data[offset + i];
        }

        offset += size;
        return true;
    }
}
