using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Tests.Quic;

namespace Hxi.Fuzz.Targets;

/// <summary>
/// A QUIC datagram after decryption: the packet headers (RFC 9000 Section 17) split from it, and each protected
/// packet's payload decoded as frames of its packet space, as if header protection and AEAD had been removed.
/// </summary>
/// <remarks>Input: one option byte (the short-header connection ID length, 0..20), then the datagram.</remarks>
public static class QuicPacketTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        int connectionIdLength = input.TakeByte() % 21;
        var datagram = QuicDatagram.Split(input.TakeAll().ToArray(), connectionIdLength);
        _ = datagram.ToString();
        foreach (var header in datagram.Packets)
        {
            _ = header.ToString();
            if (!header.IsProtected)
            {
                continue;
            }

            // Plaintext: the packet number length is in the first byte's low bits, as after header protection is removed.
            int numberLength = (header.FirstByte & 3) + 1;
            var packet = header.Packet;
            int payloadStart = header.PacketNumberOffset + numberLength;
            if (payloadStart > packet.Length)
            {
                continue;
            }

            uint truncated = 0;
            foreach (byte b in packet.Span.Slice(header.PacketNumberOffset, numberLength))
            {
                truncated = (truncated << 8) | b;
            }

            _ = QuicPacketNumber.Decode(1000, truncated, numberLength);
            QuicFramesTarget.Decode(packet[payloadStart..], QuicPacketTypes.Space(header.Type));
        }
    }

    public static IEnumerable<byte[]> Seeds()
    {
        var dcid = SeedBuilder.Hex(Rfc9001Vectors.ClientDestinationConnectionId);
        var scid = SeedBuilder.Hex(Rfc9001Vectors.ServerSourceConnectionId);
        var clientInitial = LongHeader(0xc3, dcid, [], token: [], packetNumber: [0, 0, 0, 2], [.. SeedBuilder.Hex(Rfc9001Vectors.ClientCryptoFrame), .. new byte[40]]);
        var serverInitial = LongHeader(0xc1, [], scid, token: [], packetNumber: [0, 1], SeedBuilder.Hex(Rfc9001Vectors.ServerPayload));
        var handshake = LongHeader(0xe0, [], scid, token: null, packetNumber: [0], SeedBuilder.Hex("06 00 28" + QuicVectors.Rfc8448Messages[2]));
        byte[] shortHeader = [0x41, .. dcid, 0x00, 0x05, .. SeedBuilder.Hex("0804 0568656c6c6f 1e 01")];
        yield return [0, .. clientInitial];
        yield return [0, .. serverInitial, .. handshake];
        yield return [8, .. shortHeader];
        yield return [0, .. SeedBuilder.Hex(Rfc9001Vectors.Retry)];
        yield return [8, .. SeedBuilder.Hex(QuicVectors.ShortHeader)];
        yield return [0, 0x80, 0, 0, 0, 0, 8, .. dcid, 8, .. scid, 0, 0, 0, 1, 0x6b, 0x33, 0x43, 0xcf];
        yield return [0, 0xc0, 0xff, 0x00, 0x00, 0x1d, 8, .. dcid, 0];
    }

    /// <summary>A long-header packet in the clear; <paramref name="token"/> null for types without a token field.</summary>
    private static byte[] LongHeader(byte first, byte[] dcid, byte[] scid, byte[]? token, byte[] packetNumber, byte[] payload)
    {
        var bytes = new List<byte> { first, 0, 0, 0, 1, (byte)dcid.Length };
        bytes.AddRange(dcid);
        bytes.Add((byte)scid.Length);
        bytes.AddRange(scid);
        if (token is not null)
        {
            bytes.Add((byte)token.Length);
            bytes.AddRange(token);
        }

        int length = packetNumber.Length + payload.Length;
        bytes.Add((byte)(0x40 | (length >> 8)));
        bytes.Add((byte)length);
        bytes.AddRange(packetNumber);
        bytes.AddRange(payload);
        return [.. bytes];
    }
}
