using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Tests.Quic;

/// <summary>QUIC version 2's sample packets (RFC 9369 Appendix A), protected and opened byte for byte.</summary>
public class Rfc9369AppendixATests
{
    private const uint V2 = QuicVersion.Version2;
    private static readonly byte[] ClientDcid = Hex.Parse(Rfc9001Vectors.ClientDestinationConnectionId);

    [Fact]
    public void Rfc9369_A_1_InitialSecretsAndKeys()
    {
        var secrets = QuicInitialSecrets.Derive(ClientDcid, V2);
        Assert.Equal("14ec9d6eb9fd7af83bf5a668bc17a7e283766aade7ecd0891f70f9ff7f4bf47b", Hex.Format(secrets.ClientSecret));
        Assert.Equal("0263db1782731bf4588e7e4d93b7463907cb8cd8200b5da55a8bd488eafc37c1", Hex.Format(secrets.ServerSecret));

        var client = secrets.ClientKeys;
        Assert.Equal("8b1a0bc121284290a29e0971b5cd045d", Hex.Format(client.Key));
        Assert.Equal("91f73e2351d8fa91660e909f", Hex.Format(client.Iv));
        Assert.Equal("45b95e15235d6f45a6b19cbcb0294ba9", Hex.Format(client.HeaderProtectionKey));

        var server = secrets.ServerKeys;
        Assert.Equal("82db637861d55e1d011f19ea71d5d2a7", Hex.Format(server.Key));
        Assert.Equal("dd13c276499c0249d3310652", Hex.Format(server.Iv));
        Assert.Equal("edf6d05c83121201b436e16877593c3a", Hex.Format(server.HeaderProtectionKey));
    }

    [Fact]
    public void Rfc9369_A_2_ClientInitial_ProtectsByteForByte()
    {
        var (clientKeys, serverKeys) = QuicPacketKeys.CreateInitial(ClientDcid, V2);
        using (clientKeys)
        using (serverKeys)
        {
            var packet = new byte[1500];
            int length = QuicPacketWriter.WriteLongHeaderPacket(
                packet, clientKeys, QuicPacketType.Initial, ClientDcid, [], [], packetNumber: 2, packetNumberLength: 4,
                Hex.Parse(Rfc9001Vectors.ClientCryptoFrame), minimumLength: QuicDatagram.MinimumInitialDatagramLength, version: V2);

            Assert.Equal(1200, length);
            Assert.Equal(Rfc9369Vectors.ClientInitial, Hex.Format(packet.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Rfc9369_A_2_ClientInitial_UnprotectsBack()
    {
        var datagram = Hex.Parse(Rfc9369Vectors.ClientInitial);
        Assert.True(QuicPacketParser.TryParse(datagram, 8, out var header, out _));
        Assert.Equal(QuicPacketType.Initial, header.Type);
        Assert.Equal(V2, header.Version);
        Assert.Equal(1182UL, header.Length);

        var (clientKeys, serverKeys) = QuicPacketKeys.CreateInitial(ClientDcid, V2);
        using (clientKeys)
        using (serverKeys)
        {
            Assert.True(clientKeys.TryUnprotect(datagram, header.PacketNumberOffset, null, out var opened));
            Assert.Equal(2UL, opened.PacketNumber);
            Assert.Equal("d36b3343cf088394c8f03e5157080000449e00000002", Hex.Format(datagram.AsSpan(0, opened.PayloadOffset)));
            var frames = QuicFrameDecoder.DecodeAll(datagram.AsMemory(opened.PayloadOffset, opened.PayloadLength), QuicPacketSpaces.Initial);
            Assert.Equal(Rfc9001Vectors.ClientCryptoFrame, Hex.Format(Assert.IsType<CryptoFrame>(frames[0]).ToArray()));
        }
    }

    [Fact]
    public void Rfc9369_A_2_ClientInitial_V1KeysDoNotOpenIt()
    {
        var datagram = Hex.Parse(Rfc9369Vectors.ClientInitial);
        Assert.True(QuicPacketParser.TryParse(datagram, 8, out var header, out _));
        var (clientKeys, serverKeys) = QuicPacketKeys.CreateInitial(ClientDcid);
        using (clientKeys)
        using (serverKeys)
        {
            Assert.False(clientKeys.TryUnprotect(datagram, header.PacketNumberOffset, null, out _));
        }
    }

    [Fact]
    public void Rfc9369_A_3_ServerInitial_ProtectsByteForByte()
    {
        var (clientKeys, serverKeys) = QuicPacketKeys.CreateInitial(ClientDcid, V2);
        using (clientKeys)
        using (serverKeys)
        {
            var packet = new byte[200];
            int length = QuicPacketWriter.WriteLongHeaderPacket(
                packet, serverKeys, QuicPacketType.Initial, [], Hex.Parse(Rfc9001Vectors.ServerSourceConnectionId), [],
                packetNumber: 1, packetNumberLength: 2, Hex.Parse(Rfc9001Vectors.ServerPayload), version: V2);

            Assert.Equal(Rfc9369Vectors.ServerInitial, Hex.Format(packet.AsSpan(0, length)));

            Assert.True(QuicPacketParser.TryParse(packet.AsMemory(0, length), 0, out var header, out _));
            Assert.Equal(QuicPacketType.Initial, header.Type);
            Assert.True(serverKeys.TryUnprotect(packet.AsSpan(0, length), header.PacketNumberOffset, null, out var opened));
            Assert.Equal("d16b3343cf0008f067a5502a4262b50040750001", Hex.Format(packet.AsSpan(0, opened.PayloadOffset)));
        }
    }

    [Fact]
    public void Rfc9369_A_4_Retry_IntegrityTag()
    {
        var built = QuicPacketWriter.BuildRetry([], Hex.Parse(Rfc9001Vectors.ServerSourceConnectionId), "token"u8, ClientDcid, unusedBits: 0x0f, version: V2);
        Assert.Equal(Rfc9369Vectors.Retry, Hex.Format(built));

        var retry = Hex.Parse(Rfc9369Vectors.Retry);
        Assert.True(QuicRetryIntegrity.Verify(ClientDcid, retry));
        Assert.True(QuicPacketParser.TryParse(retry, 0, out var header, out _));
        Assert.Equal(QuicPacketType.Retry, header.Type);
        Assert.Equal(V2, header.Version);
        Assert.Equal("token"u8.ToArray(), header.Token.ToArray());

        // The same bytes under v1's key and nonce do not verify: the tag is bound to the version.
        retry[1..5].AsSpan().Clear();
        retry[4] = 1;
        Assert.False(QuicRetryIntegrity.Verify(ClientDcid, retry));
    }

    [Fact]
    public void Rfc9369_A_5_ChaCha20Poly1305ShortHeader()
    {
        var secret = Hex.Parse("9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b");
        var keys = QuicKeyMaterial.Derive(QuicCipherSuite.ChaCha20Poly1305Sha256, secret, V2);
        Assert.Equal("3bfcddd72bcf02541d7fa0dd1f5f9eeea817e09a6963a0e6c7df0f9a1bab90f2", Hex.Format(keys.Key));
        Assert.Equal("a6b5bc6ab7dafce30ffff5dd", Hex.Format(keys.Iv));
        Assert.Equal("d659760d2ba434a226fd37b35c69e2da8211d10c4f12538787d65645d5d1b8e2", Hex.Format(keys.HeaderProtectionKey));
        Assert.Equal(
            "c69374c49e3d2a9466fa689e49d476db5d0dfbc87d32ceeaa6343fd0ae4c7d88",
            Hex.Format(QuicKeyMaterial.NextSecret(QuicCipherSuite.ChaCha20Poly1305Sha256, secret, V2)));

        using var packetKeys = new QuicPacketKeys(QuicCipherSuite.ChaCha20Poly1305Sha256, secret, V2);
        var packet = new byte[64];
        int length = QuicPacketWriter.WriteShortHeaderPacket(packet, packetKeys, [], spinBit: false, packetNumber: 654360564, packetNumberLength: 3, [0x01]);
        Assert.Equal(Rfc9369Vectors.ChaChaPacket, Hex.Format(packet.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(QuicPacketType.Initial, 0b01)]
    [InlineData(QuicPacketType.ZeroRtt, 0b10)]
    [InlineData(QuicPacketType.Handshake, 0b11)]
    [InlineData(QuicPacketType.Retry, 0b00)]
    public void Rfc9369_3_2_LongHeaderPacketTypes(QuicPacketType type, int bits)
    {
        Assert.Equal(bits, QuicPacketTypes.LongTypeBits(type, V2));
        Assert.Equal(type, QuicPacketTypes.LongType(bits, V2));
        Assert.Equal(type, QuicPacketTypes.LongType(QuicPacketTypes.LongTypeBits(type, QuicVersion.Version1), QuicVersion.Version1));
    }
}
