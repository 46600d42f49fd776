using System.Buffers.Binary;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Tests.QuicEndpoint;

/// <summary>Datagrams an attacker sends: well-formed enough to pass the cheap checks, and no more.</summary>
internal static class GarbageDatagrams
{
    /// <summary>A version 1 Initial of <paramref name="size"/> bytes whose header parses but whose payload is random (it cannot decrypt).</summary>
    public static byte[] UndecryptableInitial(Random random, int size = 1200)
    {
        var datagram = new byte[size];
        random.NextBytes(datagram);
        datagram[0] = (byte)(0xc0 | (datagram[0] & 0x0f));
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(1), QuicVersion.Version1);
        datagram[5] = 8;
        datagram[14] = 8;
        datagram[23] = 0; // token length
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(24), (ushort)(0x4000 | (size - 26)));
        return datagram;
    }

    /// <summary>An Initial that decrypts (anyone can make one: the keys come from its DCID) but carries only PADDING and PING.</summary>
    public static byte[] DecryptableInitial(Random random, ReadOnlySpan<byte> token = default)
    {
        var destination = new byte[8];
        var source = new byte[8];
        random.NextBytes(destination);
        random.NextBytes(source);
        var (client, server) = QuicPacketKeys.CreateInitial(destination);
        using (client)
        using (server)
        {
            var datagram = new byte[1300];
            var length = QuicPacketWriter.WriteLongHeaderPacket(datagram, client, QuicPacketType.Initial, destination, source, token, 0, 1, [0x01], 1200);
            return datagram[..length];
        }
    }

    /// <summary>A long header with a version nobody speaks, padded to <paramref name="size"/>.</summary>
    public static byte[] UnknownVersion(Random random, uint version = 0xfaceb00c, int size = 1200)
    {
        var datagram = new byte[size];
        random.NextBytes(datagram);
        datagram[0] |= 0x80;
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(1), version);
        datagram[5] = 12;
        datagram[18] = 5;
        return datagram;
    }

    /// <summary>A short-header packet to a random connection ID.</summary>
    public static byte[] ShortHeader(Random random, int size = 100)
    {
        var datagram = new byte[size];
        random.NextBytes(datagram);
        datagram[0] = (byte)(0x40 | (datagram[0] & 0x3f));
        return datagram;
    }
}
