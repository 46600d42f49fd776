using System.Security.Cryptography;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Tests.Quic;

/// <summary>Seeded random and mutated input: only the expected failure types may escape, and nothing hangs.</summary>
public class QuicFuzzTests
{
    private const int Iterations = 20_000;

    [Fact]
    public void FrameDecoder_ThrowsOnlyQuicTransportException()
    {
        var random = new Random(9000_19);
        var seeds = ((IEnumerable<object[]>)QuicFrameCodecTests.Frames()).Select(row => ((QuicFrame)row[0]).ToArray()).ToArray();
        for (int i = 0; i < Iterations; i++)
        {
            var input = i % 2 == 0 ? Mutate(random, seeds[random.Next(seeds.Length)]) : RandomBytes(random, random.Next(0, 64));
            try
            {
                var frames = QuicFrameDecoder.DecodeAll(input, (QuicPacketSpaces)(1 << random.Next(4)));
                foreach (var frame in frames)
                {
                    Assert.False(string.IsNullOrEmpty(frame.ToString()));
                    // Whatever decodes must encode again (STREAM data and PADDING may shrink, not fail).
                    Assert.True(frame.TryWrite(new byte[frame.GetByteCount()], out _));
                }
            }
            catch (QuicTransportException error)
            {
                Assert.True(error.Code is QuicTransportErrorCode.FrameEncodingError or QuicTransportErrorCode.ProtocolViolation
                    or QuicTransportErrorCode.CryptoBufferExceeded, error.Message);
            }
        }
    }

    [Fact]
    public void PacketParserAndUnprotect_NeverThrow()
    {
        var random = new Random(9000_17);
        var (client, server) = QuicPacketKeys.CreateInitial(Hex.Parse(Rfc9001Vectors.ClientDestinationConnectionId));
        using var oneRtt = new QuicPacketKeys(QuicCipherSuite.ChaCha20Poly1305Sha256, new byte[32]);
        var seeds = new[]
        {
            Hex.Parse(Rfc9001Vectors.ClientInitial),
            Hex.Parse(Rfc9001Vectors.ServerInitial),
            Hex.Parse(Rfc9001Vectors.Retry),
            Hex.Parse("4cfe4189655e5cd55c41f69080575d7999c25a5bfb"),
            QuicPacketWriter.BuildVersionNegotiation([1, 2], [3], [1, 2]),
        };
        for (int i = 0; i < Iterations / 4; i++)
        {
            var datagram = i % 3 == 2 ? RandomBytes(random, random.Next(0, 1300)) : Mutate(random, seeds[random.Next(seeds.Length)]);
            var split = QuicDatagram.Split(datagram, random.Next(0, 21));
            foreach (var header in split.Packets)
            {
                Assert.False(string.IsNullOrEmpty(header.ToString()));
                if (!header.IsProtected)
                {
                    continue;
                }

                var packet = header.Packet.ToArray();
                var keys = header.Type == QuicPacketType.OneRtt ? oneRtt : (i % 2 == 0 ? client : server);
                if (keys.TryUnprotect(packet, header.PacketNumberOffset, (ulong)random.Next(0, 1000), out var opened) && opened.PayloadLength > 0)
                {
                    try
                    {
                        QuicFrameDecoder.DecodeAll(packet.AsMemory(opened.PayloadOffset, opened.PayloadLength), QuicPacketTypes.Space(header.Type));
                    }
                    catch (QuicTransportException)
                    {
                    }
                }
            }
        }

        client.Dispose();
        server.Dispose();
    }

    [Fact]
    public void TransportParameters_ThrowOnlyTransportParameterError()
    {
        var random = new Random(9000_18);
        var seed = new QuicTransportParameters
        {
            MaxIdleTimeout = 30_000,
            InitialMaxData = 1 << 20,
            InitialMaxStreamsBidi = 100,
            ActiveConnectionIdLimit = 4,
            InitialSourceConnectionId = [1, 2, 3],
            StatelessResetToken = new byte[16],
        }.ToArray();
        for (int i = 0; i < Iterations / 4; i++)
        {
            var input = i % 2 == 0 ? Mutate(random, seed) : RandomBytes(random, random.Next(0, 80));
            try
            {
                var decoded = QuicTransportParametersCodec.Decode(input, (QuicRole)random.Next(2));
                Assert.NotNull(decoded.ToString());
            }
            catch (QuicTransportException error)
            {
                Assert.Equal(QuicTransportErrorCode.TransportParameterError, error.Code);
            }
        }
    }

    [Fact]
    public void ShortHeaderProtectAndUnprotect_AllocateNothing()
    {
        using var keys = new QuicPacketKeys(QuicCipherSuite.Aes128GcmSha256, RandomNumberGenerator.GetBytes(32));
        using var chacha = new QuicPacketKeys(QuicCipherSuite.ChaCha20Poly1305Sha256, RandomNumberGenerator.GetBytes(32));
        var buffer = new byte[1500];
        var frames = new byte[1200];
        byte[] dcid = [1, 2, 3, 4, 5, 6, 7, 8];
        int opened = RoundTrip(keys, 0) + RoundTrip(chacha, 0);

        // Assertions allocate, so the loop only counts and the checks come after.
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (ulong pn = 1; pn < 100; pn++)
        {
            opened += RoundTrip(keys, pn) + RoundTrip(chacha, pn);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(200, opened);
        Assert.Equal(0, allocated);

        int RoundTrip(QuicPacketKeys k, ulong pn)
        {
            int length = QuicPacketWriter.WriteShortHeaderPacket(buffer, k, dcid, false, pn, 2, frames);
            return k.TryUnprotect(buffer.AsSpan(0, length), 1 + dcid.Length, pn == 0 ? null : pn - 1, out var result)
                && result.PacketNumber == pn ? 1 : 0;
        }
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = seed.ToArray();
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes.AsSpan(0, random.Next(bytes.Length + 1)).ToArray();
            case 2:
                for (int n = random.Next(1, 6); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            default:
                return [.. bytes, .. RandomBytes(random, random.Next(1, 16))];
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
