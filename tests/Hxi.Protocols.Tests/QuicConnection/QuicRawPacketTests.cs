using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Protocols.Tests.QuicConnection;

/// <summary>
/// WriteRawPacket (hxi check's way to put any frame in any packet) against the server role: the rules hxi check's QUIC
/// cases test, proved here on the core itself, including RFC 9001 Section 6.4 (old keys after new ones).
/// </summary>
public sealed class QuicRawPacketTests
{
    private static readonly byte[] Ping = [0x01];

    [Fact]
    public void OldKeys_AfterAPacketWithTheNextKeys_AreKeyUpdateError()
    {
        var pair = Confirmed();
        Deliver(pair, Ping, new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData, NextKeyPhase: true));
        Assert.Null(pair.Server.CloseReason);

        Deliver(pair, Ping, new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData));

        Assert.Equal((ulong)QuicTransportErrorCode.KeyUpdateError, pair.Server.CloseReason?.ErrorCode);
    }

    [Fact]
    public void NextKeys_AloneAreAKeyUpdate_ThatTheServerFollows()
    {
        var pair = Confirmed();

        Deliver(pair, Ping, new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData, NextKeyPhase: true));

        Assert.Null(pair.Server.CloseReason);
        Assert.Equal(1, pair.Server.Statistics.KeyUpdates);
        Assert.True(pair.RunUntil(() => pair.Client.Statistics.KeyUpdates == 1, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void ReservedBits_InA1RttPacket_AreProtocolViolation()
    {
        var pair = Confirmed();

        Deliver(pair, Ping, new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData, ReservedBits: 3));

        Assert.Equal((ulong)QuicTransportErrorCode.ProtocolViolation, pair.Server.CloseReason?.ErrorCode);
    }

    [Fact]
    public void ALaxServer_DropsThePacketInsteadOfClosing()
    {
        var pair = Confirmed(server: o => o with { IgnoreTransportErrors = true });
        var droppedBefore = pair.Server.Statistics.PacketsDropped;

        Deliver(pair, [0x1e], new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData));

        Assert.Null(pair.Server.CloseReason);
        Assert.Equal(droppedBefore + 1, pair.Server.Statistics.PacketsDropped);
    }

    [Fact]
    public void ATamperedPacket_IsDroppedCountedAndTraced_AndTheConnectionGoesOn()
    {
        var pair = Confirmed();
        var buffer = new byte[1500];
        var length = pair.Client.WriteRawPacket(buffer, Ping, new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData), out _);
        buffer[length - 1] ^= 0x01; // the last bit of the AEAD tag
        var droppedBefore = pair.Server.Statistics.PacketsDropped;

        pair.Server.ReceiveDatagram(buffer.AsSpan(0, length), pair.Now);

        // RFC 9001 Section 5.5: discarded, not an error; with a tap attached the wire view says why.
        Assert.Equal(droppedBefore + 1, pair.Server.Statistics.PacketsDropped);
        Assert.Contains(pair.Trace, line => line.Contains(" server ") && line.Contains("dropped: packet could not be decrypted"));
        Assert.Null(pair.Server.CloseReason);
        Deliver(pair, Ping, new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData));
        Assert.Equal(droppedBefore + 1, pair.Server.Statistics.PacketsDropped);
    }

    [Fact]
    public void WriteRawPacket_WithoutKeys_IsLocalMisuse()
    {
        var pair = Confirmed();

        Assert.False(pair.Client.CanWriteRawPacket(QuicPacketNumberSpace.Handshake));
        Assert.Throws<InvalidOperationException>(() => pair.Client.WriteRawPacket(new byte[1500], Ping, new QuicRawPacketShape(QuicPacketNumberSpace.Handshake), out _));
    }

    private static QuicPair Confirmed(Func<QuicConnectionOptions, QuicConnectionOptions>? server = null)
    {
        var pair = new QuicPair(server: server);
        Assert.True(pair.RunUntil(() => pair.Client.IsHandshakeConfirmed && pair.Server.IsHandshakeConfirmed));
        return pair;
    }

    private static void Deliver(QuicPair pair, byte[] frames, QuicRawPacketShape shape)
    {
        var buffer = new byte[1500];
        var length = pair.Client.WriteRawPacket(buffer, frames, shape, out _);
        pair.Server.ReceiveDatagram(buffer.AsSpan(0, length), pair.Now);
    }
}
