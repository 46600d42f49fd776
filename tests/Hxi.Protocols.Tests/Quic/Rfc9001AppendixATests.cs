using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Tests.Quic;

public class Rfc9001AppendixATests
{
    private static readonly byte[] ClientDcid = Hex.Parse(Rfc9001Vectors.ClientDestinationConnectionId);

    [Fact]
    public void Rfc9001_A_1_InitialSecretsAndKeys()
    {
        var secrets = QuicInitialSecrets.Derive(ClientDcid);
        Assert.Equal("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea", Hex.Format(secrets.ClientSecret));
        Assert.Equal("3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b", Hex.Format(secrets.ServerSecret));

        var client = secrets.ClientKeys;
        Assert.Equal("1f369613dd76d5467730efcbe3b1a22d", Hex.Format(client.Key));
        Assert.Equal("fa044b2f42a3fd3b46fb255c", Hex.Format(client.Iv));
        Assert.Equal("9f50449e04a0e810283a1e9933adedd2", Hex.Format(client.HeaderProtectionKey));

        var server = secrets.ServerKeys;
        Assert.Equal("cf3a5331653c364c88f0f379b6067e37", Hex.Format(server.Key));
        Assert.Equal("0ac1493ca1905853b0bba03e", Hex.Format(server.Iv));
        Assert.Equal("c206b8d9b9f0f37644430b490eeaa314", Hex.Format(server.HeaderProtectionKey));
    }

    [Fact]
    public void Rfc9001_A_2_HeaderProtectionMask()
    {
        using var hp = new AesHeaderProtection(Hex.Parse("9f50449e04a0e810283a1e9933adedd2"));
        Span<byte> mask = stackalloc byte[5];
        hp.ComputeMask(Hex.Parse("d1b1c98dd7689fb8ec11d242b123dc9b"), mask);
        Assert.Equal("437b9aec36", Hex.Format(mask));
    }

    [Fact]
    public void Rfc9001_A_2_ClientInitial_ProtectsByteForByte()
    {
        var (clientKeys, serverKeys) = QuicPacketKeys.CreateInitial(ClientDcid);
        using (clientKeys)
        using (serverKeys)
        {
            var packet = new byte[1500];
            int length = QuicPacketWriter.WriteLongHeaderPacket(
                packet, clientKeys, QuicPacketType.Initial, ClientDcid, [], [], packetNumber: 2, packetNumberLength: 4,
                Hex.Parse(Rfc9001Vectors.ClientCryptoFrame), minimumLength: QuicDatagram.MinimumInitialDatagramLength);

            Assert.Equal(1200, length);
            Assert.Equal(Rfc9001Vectors.ClientInitial, Hex.Format(packet.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Rfc9001_A_2_ClientInitial_UnprotectsBack()
    {
        var datagram = Hex.Parse(Rfc9001Vectors.ClientInitial);
        var split = QuicDatagram.Split(datagram, shortHeaderConnectionIdLength: 8);
        var header = Assert.Single(split.Packets);
        Assert.Null(split.DroppedReason);
        Assert.Equal(QuicPacketType.Initial, header.Type);
        Assert.Equal(QuicVersion.Version1, header.Version);
        Assert.Equal(Rfc9001Vectors.ClientDestinationConnectionId, Hex.Format(header.DestinationConnectionId.Span));
        Assert.True(header.SourceConnectionId.IsEmpty);
        Assert.Equal(1182UL, header.Length);

        var (clientKeys, serverKeys) = QuicPacketKeys.CreateInitial(ClientDcid);
        using (clientKeys)
        using (serverKeys)
        {
            Assert.True(serverKeys.TryUnprotect(datagram, header.PacketNumberOffset, null, out _) is false, "server keys must not open a client packet");
        }

        datagram = Hex.Parse(Rfc9001Vectors.ClientInitial);
        (clientKeys, serverKeys) = QuicPacketKeys.CreateInitial(ClientDcid);
        using (clientKeys)
        using (serverKeys)
        {
            Assert.True(clientKeys.TryUnprotect(datagram, header.PacketNumberOffset, null, out var opened));
            Assert.Equal(2UL, opened.PacketNumber);
            Assert.Equal(4, opened.PacketNumberLength);
            Assert.False(opened.ReservedBitsSet);
            Assert.Equal("c300000001088394c8f03e5157080000449e00000002", Hex.Format(datagram.AsSpan(0, opened.PayloadOffset)));

            var payload = datagram.AsMemory(opened.PayloadOffset, opened.PayloadLength);
            Assert.Equal(1162, payload.Length);
            var frames = QuicFrameDecoder.DecodeAll(payload, QuicPacketSpaces.Initial);
            var crypto = Assert.IsType<CryptoFrame>(frames[0]);
            Assert.Equal(0UL, crypto.Offset);
            Assert.Equal(Rfc9001Vectors.ClientCryptoFrame, Hex.Format(crypto.ToArray()));
            var padding = Assert.IsType<PaddingFrame>(Assert.Single(frames.Skip(1)));
            Assert.Equal(1162 - crypto.GetByteCount(), padding.Length);
        }
    }

    [Fact]
    public void Rfc9001_A_3_ServerInitial_ProtectsByteForByte()
    {
        var (clientKeys, serverKeys) = QuicPacketKeys.CreateInitial(ClientDcid);
        using (clientKeys)
        using (serverKeys)
        {
            var packet = new byte[200];
            int length = QuicPacketWriter.WriteLongHeaderPacket(
                packet, serverKeys, QuicPacketType.Initial, [], Hex.Parse(Rfc9001Vectors.ServerSourceConnectionId), [],
                packetNumber: 1, packetNumberLength: 2, Hex.Parse(Rfc9001Vectors.ServerPayload));

            Assert.Equal(Rfc9001Vectors.ServerInitial, Hex.Format(packet.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Rfc9001_A_3_ServerInitial_UnprotectsBack()
    {
        var datagram = Hex.Parse(Rfc9001Vectors.ServerInitial);
        Assert.True(QuicPacketParser.TryParse(datagram, 0, out var header, out _));
        Assert.Equal(Rfc9001Vectors.ServerSourceConnectionId, Hex.Format(header.SourceConnectionId.Span));
        var (clientKeys, serverKeys) = QuicPacketKeys.CreateInitial(ClientDcid);
        using (clientKeys)
        using (serverKeys)
        {
            Assert.True(serverKeys.TryUnprotect(datagram, header.PacketNumberOffset, null, out var opened));
            Assert.Equal(1UL, opened.PacketNumber);
            Assert.Equal("c1000000010008f067a5502a4262b50040750001", Hex.Format(datagram.AsSpan(0, opened.PayloadOffset)));
            var frames = QuicFrameDecoder.DecodeAll(datagram.AsMemory(opened.PayloadOffset, opened.PayloadLength), QuicPacketSpaces.Initial);
            Assert.Equal("ACK largest=0 delay=0 ranges=[0]", frames[0].ToString());
            Assert.Equal("CRYPTO offset=0 length=90", frames[1].ToString());
        }
    }

    [Fact]
    public void Rfc9001_A_4_Retry_IntegrityTag()
    {
        var built = QuicPacketWriter.BuildRetry([], Hex.Parse(Rfc9001Vectors.ServerSourceConnectionId), "token"u8, ClientDcid, unusedBits: 0x0f);
        Assert.Equal(Rfc9001Vectors.Retry, Hex.Format(built));

        var retry = Hex.Parse(Rfc9001Vectors.Retry);
        Assert.True(QuicRetryIntegrity.Verify(ClientDcid, retry));
        Assert.False(QuicRetryIntegrity.Verify(Hex.Parse("8394c8f03e515709"), retry));

        Assert.True(QuicPacketParser.TryParse(retry, 0, out var header, out _));
        Assert.Equal(QuicPacketType.Retry, header.Type);
        Assert.Equal("token"u8.ToArray(), header.Token.ToArray());
        Assert.Equal("04a265ba2eff4d829058fb3f0f2496ba", Hex.Format(header.RetryIntegrityTag.Span));

        retry[^1] ^= 1;
        Assert.False(QuicRetryIntegrity.Verify(ClientDcid, retry));
    }

    [Fact]
    public void Rfc9001_A_5_ChaCha20Poly1305ShortHeader_Keys()
    {
        var secret = Hex.Parse("9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b");
        var keys = QuicKeyMaterial.Derive(QuicCipherSuite.ChaCha20Poly1305Sha256, secret);
        Assert.Equal("c6d98ff3441c3fe1b2182094f69caa2ed4b716b65488960a7a984979fb23e1c8", Hex.Format(keys.Key));
        Assert.Equal("e0459b3474bdd0e44a41c144", Hex.Format(keys.Iv));
        Assert.Equal("25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4", Hex.Format(keys.HeaderProtectionKey));
        Assert.Equal(
            "1223504755036d556342ee9361d253421a826c9ecdf3c7148684b36b714881f9",
            Hex.Format(QuicKeyMaterial.NextSecret(QuicCipherSuite.ChaCha20Poly1305Sha256, secret)));

        using var hp = new ChaCha20HeaderProtection(keys.HeaderProtectionKey);
        Span<byte> mask = stackalloc byte[5];
        hp.ComputeMask(Hex.Parse("5e5cd55c41f69080575d7999c25a5bfb"), mask);
        Assert.Equal("aefefe7d03", Hex.Format(mask));
    }

    [Fact]
    public void Rfc9001_A_5_ChaCha20Poly1305ShortHeader_Packet()
    {
        var secret = Hex.Parse("9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b");
        using var keys = new QuicPacketKeys(QuicCipherSuite.ChaCha20Poly1305Sha256, secret);
        var packet = new byte[64];
        int length = QuicPacketWriter.WriteShortHeaderPacket(packet, keys, [], spinBit: false, packetNumber: 654360564, packetNumberLength: 3, [0x01]);
        Assert.Equal("4cfe4189655e5cd55c41f69080575d7999c25a5bfb", Hex.Format(packet.AsSpan(0, length)));

        var received = packet.AsSpan(0, length).ToArray();
        Assert.True(QuicPacketParser.TryParse(received, 0, out var header, out _));
        Assert.Equal(QuicPacketType.OneRtt, header.Type);
        Assert.True(keys.TryUnprotect(received, header.PacketNumberOffset, 654360563, out var opened));
        Assert.Equal(654360564UL, opened.PacketNumber);
        Assert.Equal("4200bff4", Hex.Format(received.AsSpan(0, opened.PayloadOffset)));
        Assert.Equal([0x01], received.AsSpan(opened.PayloadOffset, opened.PayloadLength).ToArray());
        Assert.False(opened.KeyPhase);
    }
}
