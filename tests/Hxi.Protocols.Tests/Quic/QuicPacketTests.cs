using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Tests.Quic;

public class QuicPacketTests
{
    private static readonly byte[] Dcid = Hex.Parse("8394c8f03e515708");
    private static readonly byte[] Scid = Hex.Parse("f067a5502a4262b5");

    [Fact]
    public void Rfc9000_12_2_CoalescedInitialAndHandshakeSplitByLength()
    {
        var (client, server) = QuicPacketKeys.CreateInitial(Dcid);
        using var handshakeKeys = new QuicPacketKeys(QuicCipherSuite.Aes256GcmSha384, new byte[48]);
        var datagram = new byte[1500];
        int first = QuicPacketWriter.WriteLongHeaderPacket(datagram, server, QuicPacketType.Initial, Scid, Dcid, [], 0, 1,
            new AckFrame(0, [new QuicAckRange(0, 0)]).ToArray());
        int second = QuicPacketWriter.WriteLongHeaderPacket(datagram.AsSpan(first), handshakeKeys, QuicPacketType.Handshake, Scid, Dcid, [], 0, 1,
            new CryptoFrame(0, new byte[100]).ToArray());
        var split = QuicDatagram.Split(datagram.AsMemory(0, first + second), Scid.Length);

        Assert.Null(split.DroppedReason);
        Assert.Equal([QuicPacketType.Initial, QuicPacketType.Handshake], split.Packets.Select(p => p.Type));
        Assert.Equal([0, first], split.Packets.Select(p => p.DatagramOffset));
        Assert.Equal(second, split.Packets[1].Packet.Length);

        var handshake = split.Packets[1].Packet.ToArray();
        Assert.True(handshakeKeys.TryUnprotect(handshake, split.Packets[1].PacketNumberOffset, null, out var opened));
        var crypto = Assert.IsType<CryptoFrame>(QuicFrameDecoder.DecodeAll(handshake.AsMemory(opened.PayloadOffset, opened.PayloadLength), QuicPacketSpaces.Handshake)[0]);
        Assert.Equal(100, crypto.Data.Length);
        client.Dispose();
        server.Dispose();
    }

    [Fact]
    public void Rfc9000_14_1_ClientInitialIsPaddedTo1200()
    {
        var (client, server) = QuicPacketKeys.CreateInitial(Dcid);
        var datagram = new byte[1500];
        int length = QuicPacketWriter.WriteLongHeaderPacket(datagram, client, QuicPacketType.Initial, Dcid, [], "tok"u8, 0, 1,
            new CryptoFrame(0, new byte[50]).ToArray(), QuicDatagram.MinimumInitialDatagramLength);
        Assert.Equal(1200, length);
        var header = Assert.Single(QuicDatagram.Split(datagram.AsMemory(0, length), 0).Packets);
        Assert.Equal("tok"u8.ToArray(), header.Token.ToArray());
        var packet = datagram.AsSpan(0, length).ToArray();
        Assert.True(client.TryUnprotect(packet, header.PacketNumberOffset, null, out var opened));
        var frames = QuicFrameDecoder.DecodeAll(packet.AsMemory(opened.PayloadOffset, opened.PayloadLength), QuicPacketSpaces.Initial);
        Assert.IsType<PaddingFrame>(frames[1]);
        client.Dispose();
        server.Dispose();
    }

    [Fact]
    public void Rfc9001_5_4_2_TinyPayloadIsPaddedForTheSample()
    {
        using var keys = new QuicPacketKeys(QuicCipherSuite.Aes128GcmSha256, new byte[32]);
        var packet = new byte[100];
        int length = QuicPacketWriter.WriteShortHeaderPacket(packet, keys, Dcid, spinBit: true, packetNumber: 7, packetNumberLength: 1, [0x01]);
        Assert.Equal(1 + 8 + 1 + 3 + 16, length);
        var received = packet.AsSpan(0, length).ToArray();
        var header = Assert.Single(QuicDatagram.Split(received, 8).Packets);
        Assert.True(header.SpinBit);
        Assert.True(keys.TryUnprotect(received, header.PacketNumberOffset, 6, out var opened));
        Assert.Equal(7UL, opened.PacketNumber);
        Assert.Equal([PingFrame.Instance, new PaddingFrame(2)], QuicFrameDecoder.DecodeAll(received.AsMemory(opened.PayloadOffset, opened.PayloadLength)));
    }

    [Fact]
    public void Rfc9001_6_KeyUpdateFlipsKeyPhaseAndNeedsTheNextKeys()
    {
        var secret = Hex.Parse("9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b");
        using var sender = new QuicPacketKeys(QuicCipherSuite.ChaCha20Poly1305Sha256, secret);
        using var receiver = new QuicPacketKeys(QuicCipherSuite.ChaCha20Poly1305Sha256, secret);
        using var nextSender = sender.NextGeneration();
        using var nextReceiver = receiver.NextGeneration();
        Assert.True(nextSender.KeyPhase);

        var packet = new byte[100];
        int length = QuicPacketWriter.WriteShortHeaderPacket(packet, nextSender, [], false, 100, 2, "\x01\x01\x01"u8);
        var received = packet.AsSpan(0, length).ToArray();

        // Header protection is shared across generations, so the old keys can read the Key Phase bit.
        Assert.True(receiver.TryRemoveHeaderProtection(received, 1, out int pnLength, out uint truncated));
        Assert.Equal(0x04, received[0] & 0x04);
        ulong packetNumber = QuicPacketNumber.Decode(99, truncated, pnLength);
        var copy = received.ToArray();
        Assert.False(receiver.TryDecryptPayload(copy, 1 + pnLength, packetNumber));
        Assert.True(nextReceiver.TryDecryptPayload(received, 1 + pnLength, packetNumber));
    }

    [Theory]
    [InlineData(QuicCipherSuite.Aes128GcmSha256)]
    [InlineData(QuicCipherSuite.Aes256GcmSha384)]
    [InlineData(QuicCipherSuite.ChaCha20Poly1305Sha256)]
    public void Rfc9001_5_EveryCipherSuiteRoundTripsAndRejectsTampering(QuicCipherSuite suite)
    {
        var secret = new byte[QuicCipherSuites.SecretLength(suite)];
        secret[0] = 1;
        using var keys = new QuicPacketKeys(suite, secret);
        var frames = new StreamFrame(0, 0, "hello"u8.ToArray(), Fin: true).ToArray();
        var packet = new byte[200];
        int length = QuicPacketWriter.WriteLongHeaderPacket(packet, keys, QuicPacketType.Handshake, Dcid, Scid, [], 5, 2, frames);

        var good = packet.AsSpan(0, length).ToArray();
        Assert.True(QuicPacketParser.TryParse(good, 0, out var header, out _));
        Assert.True(keys.TryUnprotect(good, header.PacketNumberOffset, 4, out var opened));
        Assert.Equal(frames, good.AsSpan(opened.PayloadOffset, opened.PayloadLength).ToArray());

        for (int i = 0; i < length; i++)
        {
            var bad = packet.AsSpan(0, length).ToArray();
            bad[i] ^= 0x40;
            if (QuicPacketParser.TryParse(bad, 0, out var badHeader, out _) && badHeader.IsProtected)
            {
                Assert.False(keys.TryUnprotect(bad.AsSpan(0, badHeader.Packet.Length), badHeader.PacketNumberOffset, 4, out _));
            }
        }
    }

    [Fact]
    public void Rfc9000_17_2_1_VersionNegotiationRoundTrips()
    {
        var packet = QuicPacketWriter.BuildVersionNegotiation(Scid, Dcid, [QuicVersion.Version1, 0x1a2a3a4a], unusedBits: 0x40);
        var header = Assert.Single(QuicDatagram.Split(packet, 0).Packets);
        Assert.Equal(QuicPacketType.VersionNegotiation, header.Type);
        Assert.Equal([QuicVersion.Version1, 0x1a2a3a4aU], header.SupportedVersions);
        Assert.Equal(Scid, header.DestinationConnectionId.ToArray());
        Assert.Equal("VersionNegotiation negotiation dcid=f067a5502a4262b5 scid=8394c8f03e515708 versions=[v1, 0x1a2a3a4a (reserved)] size=31", header.ToString());
        Assert.False(header.IsProtected);
    }

    [Theory]
    [InlineData("c0000000011500", "exceeds 20")] // v1 DCID of 21 bytes
    [InlineData("80000000010000", "fixed bit")]
    [InlineData("c00000000100", "truncated")]
    [InlineData("c0000000010000", "Token Length")] // Initial, token length missing
    [InlineData("c00000000100000540", "Token Length 5")]
    [InlineData("c000000001000000", "truncated in Length")]
    [InlineData("e00000000100003f", "Length 63")] // Handshake with Length 63 past the end
    [InlineData("e000000001000001aabbcc", "too short")] // Length 1 cannot hold the sample
    [InlineData("f0000000010000aabb", "integrity tag")] // Retry shorter than its tag
    [InlineData("c00000000000000102", "multiple of 4")] // Version Negotiation with a 1-byte list
    [InlineData("00112233", "fixed bit")] // short header without the fixed bit
    [InlineData("40112233", "too short")] // short header without a sample
    public void Rfc9000_17_MalformedPacketsAreDroppedWithAReason(string hex, string reason)
    {
        var split = QuicDatagram.Split(Hex.Parse(hex), 0);
        Assert.Empty(split.Packets);
        Assert.Equal(0, split.DroppedOffset);
        Assert.Contains(reason, split.DroppedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfc8999_5_1_OtherVersionsKeepLongConnectionIds()
    {
        var bytes = Hex.Parse("c0ff00001d" + "1e" + new string('a', 60) + "00" + "0102");
        var header = Assert.Single(QuicDatagram.Split(bytes, 0).Packets);
        Assert.Equal(QuicPacketType.UnsupportedVersion, header.Type);
        Assert.Equal(30, header.DestinationConnectionId.Length);
    }

    [Fact]
    public void Rfc9000_12_2_CoalescedPacketWithAnotherDcidIsIgnored()
    {
        var (client, server) = QuicPacketKeys.CreateInitial(Dcid);
        var datagram = new byte[400];
        int first = QuicPacketWriter.WriteLongHeaderPacket(datagram, client, QuicPacketType.Initial, Dcid, Scid, [], 0, 1, [0x01]);
        int second = QuicPacketWriter.WriteLongHeaderPacket(datagram.AsSpan(first), client, QuicPacketType.Initial, Scid, Scid, [], 1, 1, [0x01]);
        var split = QuicDatagram.Split(datagram.AsMemory(0, first + second), 0);
        Assert.Single(split.Packets);
        Assert.Equal(first, split.DroppedOffset);
        Assert.Contains("different Destination Connection ID", split.DroppedReason);
        client.Dispose();
        server.Dispose();
    }

    [Fact]
    public void Rfc9000_17_2_WritersRejectLongConnectionIds()
    {
        var buffer = new byte[100];
        Assert.Throws<ArgumentException>(() => QuicPacketWriter.WriteShortHeader(buffer, new byte[21], false, false, 0, 1));
        Assert.Throws<ArgumentException>(() => QuicPacketWriter.BuildRetry(new byte[21], [], "t"u8, []));
    }
}
