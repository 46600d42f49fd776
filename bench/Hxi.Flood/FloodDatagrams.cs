using System.Buffers.Binary;

namespace Hxi.Flood;

/// <summary>What an attacker sends to a QUIC server without ever completing a handshake.</summary>
internal static class FloodDatagrams
{
    /// <summary>Random bytes of a random size: short headers to no one, broken long headers, anything.</summary>
    public static byte[] Garbage(Random random)
    {
        var datagram = new byte[1 + random.Next(1400)];
        random.NextBytes(datagram);
        return datagram;
    }

    /// <summary>
    /// A QUIC version 1 Initial of <paramref name="size"/> bytes (at least 1200, as RFC 9000 Section 14.1 asks) to a
    /// random Destination Connection ID, whose header parses and whose payload is random: it passes every cheap check and
    /// fails only when the server tries to decrypt it.
    /// </summary>
    public static byte[] UndecryptableInitial(Random random, int size = 1200)
    {
        var datagram = new byte[size];
        random.NextBytes(datagram);
        datagram[0] = (byte)(0xc0 | (datagram[0] & 0x0f));
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(1), 0x00000001);
        datagram[5] = 8;
        datagram[14] = 8;
        datagram[23] = 0; // no token
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(24), (ushort)(0x4000 | (size - 26)));
        return datagram;
    }

    /// <summary>A 1200-byte long header with a version nobody speaks (RFC 9000 Section 6: the server answers Version Negotiation).</summary>
    public static byte[] UnknownVersion(Random random, int size = 1200)
    {
        var datagram = new byte[size];
        random.NextBytes(datagram);
        datagram[0] |= 0xc0;
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(1), 0x1a2a3a4a);
        datagram[5] = 8;
        datagram[14] = 8;
        return datagram;
    }
}
