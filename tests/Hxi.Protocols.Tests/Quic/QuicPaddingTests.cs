using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Tests.Quic;

/// <summary>Padding lands exactly on the size asked for, even where growing the payload widens the Length field.</summary>
public class QuicPaddingTests
{
    [Fact]
    public void Rfc9000_14_1_PaddedLongHeaderPacket_IsExactlyTheMinimum_AcrossVarintBoundaries()
    {
        var (client, server) = QuicPacketKeys.CreateInitial([1, 2, 3, 4, 5, 6, 7, 8]);
        using (client)
        using (server)
        {
            var buffer = new byte[2000];
            // Length 63 -> 64 is where the Length varint goes from one byte to two.
            for (var minimum = 40; minimum <= 1300; minimum++)
            {
                var length = QuicPacketWriter.WriteLongHeaderPacket(buffer, server, QuicPacketType.Handshake, [9, 9, 9, 9, 9, 9, 9, 9], [1, 2, 3, 4, 5, 6, 7, 8], [], 3, 1, [0x01], minimum);
                Assert.Equal(Math.Max(minimum, length), length);
                Assert.True(length == minimum || minimum < 44, $"minimum {minimum} gave {length}");
                Assert.True(QuicPacketParser.TryParse(buffer.AsMemory(0, length), 8, out var header, out _));
                Assert.Equal(length, header.Packet.Length);
            }
        }
    }
}
