using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Tls;
using Hxi.Protocols.Trace;

namespace Hxi.Bench;

/// <summary>
/// The client's QUIC receive path on a download: one 1-RTT packet carrying a full STREAM frame goes into a client
/// <see cref="QuicConnection"/> (header protection, AEAD open, frame parsing, stream buffering, ACK bookkeeping),
/// the application reads the bytes, and whatever the connection then has to send (an ACK every second packet,
/// flow-control credit now and then) is written out.
/// </summary>
/// <remarks>
/// A real client and server complete the handshake in memory first; the packets measured are then sealed here
/// with the server's 1-RTT keys (from its key log), so the server's send path is not part of the figure. Every
/// sixteenth packet also carries an ACK of everything the client sent, as a sending server's do now and then.
/// </remarks>
[MemoryDiagnoser]
public class QuicReceiveBenchmarks
{
    private const int StreamChunk = 1_200;
    private const int PacketNumberOffset = 1 + 8;
    private const long StreamId = 0;

    private readonly byte[] _datagram = new byte[1_500];
    private readonly byte[] _output = new byte[65_536];
    private readonly byte[] _read = new byte[65_536];
    private readonly byte[] _chunk = new byte[StreamChunk];
    private QuicConnection _client = null!;
    private QuicPacketKeys _serverKeys = null!;
    private TimeSpan _now;
    private ulong _packetNumber;
    private ulong _offset;
    private long _clientLargestSent = -1;

    [GlobalSetup]
    public void Setup()
    {
        var secrets = new KeyLog();
        var (leaf, roots) = Certificates();
        _client = new QuicConnection(new QuicConnectionOptions
        {
            Role = QuicRole.Client,
            ServerName = "localhost",
            CustomRoots = roots,
            CertificateTime = DateTimeOffset.UtcNow,
            CipherSuites = [TlsCipherSuite.Aes128GcmSha256],
            TlsObserver = secrets,
        });
        var server = new QuicConnection(new QuicConnectionOptions { Role = QuicRole.Server, Certificate = leaf });
        _client.Start(_now);
        for (var round = 0; round < 50 && !(_client.IsHandshakeConfirmed && server.IsHandshakeComplete); round++)
        {
            Shuttle(_client, server);
            Shuttle(server, _client);
            _now += TimeSpan.FromMilliseconds(1);
        }

        if (!_client.IsHandshakeConfirmed)
        {
            throw new InvalidOperationException("the in-memory handshake did not complete");
        }

        var opened = _client.OpenStream(bidirectional: true);
        if (opened != StreamId)
        {
            throw new InvalidOperationException($"the first stream is {opened}");
        }

        _client.WriteStream(StreamId, "GET /"u8, fin: true);
        Flush();
        // The handshake's own 1-RTT packets from the server used numbers below this.
        _packetNumber = 1_000;
        // The keys of the version the handshake settled on: the client offers QUIC v2 (RFC 9368), whose key labels
        // differ, and packets sealed with v1's would all be dropped as undecryptable, measuring the drop path instead.
        _serverKeys = new QuicPacketKeys(QuicCipherSuite.Aes128GcmSha256, secrets.ServerTrafficSecret
            ?? throw new InvalidOperationException("no SERVER_TRAFFIC_SECRET_0 in the key log"), _client.Version);
        new Random(3).NextBytes(_chunk);
        var dropped = _client.Statistics.PacketsDropped;
        if (Receive(withAck: false) != StreamChunk || _client.Statistics.PacketsDropped != dropped)
        {
            throw new InvalidOperationException("the client did not take the first sealed packet: the figures would be of the drop path");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _serverKeys.Dispose();

    /// <summary>The packet in, its event, the application's read: nothing is sent back.</summary>
    [Benchmark]
    public int ReceiveStreamPacket() => Receive(withAck: false);

    /// <summary>As <see cref="ReceiveStreamPacket"/>, and the client then writes what it owes: an ACK every second packet.</summary>
    [Benchmark]
    public int ReceiveStreamPacketAndAcknowledge()
    {
        var read = Receive(withAck: false);
        Flush();
        return read;
    }

    /// <summary>The whole loop of a download: every sixteenth packet also acknowledges what the client sent.</summary>
    [Benchmark]
    public int ReceiveStreamPacketWithPeerAcks()
    {
        var read = Receive(withAck: (_packetNumber & 15) == 0);
        Flush();
        return read;
    }

    private int Receive(bool withAck)
    {
        var length = SealNextPacket(withAck);
        _now += TimeSpan.FromMicroseconds(10);
        _client.ReceiveDatagram(_datagram.AsSpan(0, length), _now);
        while (_client.TryPollEvent(out _))
        {
        }

        return _client.ReadStream(StreamId, _read, out _);
    }

    /// <summary>Writes the next server packet: [ACK of all the client sent] STREAM(0, offset, 1200 bytes).</summary>
    private int SealNextPacket(bool withAck)
    {
        var packet = _datagram.AsSpan();
        packet[0] = 0x43; // short header, fixed bit, key phase 0, 4-byte packet number
        _client.SourceConnectionId.Span.CopyTo(packet[1..]);
        var pn = _packetNumber++;
        packet[PacketNumberOffset] = (byte)(pn >> 24);
        packet[PacketNumberOffset + 1] = (byte)(pn >> 16);
        packet[PacketNumberOffset + 2] = (byte)(pn >> 8);
        packet[PacketNumberOffset + 3] = (byte)pn;
        var position = PacketNumberOffset + 4;
        var payloadStart = position;
        if (withAck && _clientLargestSent >= 0)
        {
            // ACK: largest, delay 0, no further ranges, first range covering everything.
            packet[position++] = 0x02;
            position += WriteVarint(packet[position..], (ulong)_clientLargestSent);
            packet[position++] = 0;
            packet[position++] = 0;
            position += WriteVarint(packet[position..], (ulong)_clientLargestSent);
        }

        packet[position++] = 0x0e; // STREAM with OFF and LEN
        position += WriteVarint(packet[position..], StreamId);
        position += WriteVarint(packet[position..], _offset);
        position += WriteVarint(packet[position..], StreamChunk);
        _chunk.CopyTo(packet[position..]);
        position += StreamChunk;
        _offset += StreamChunk;
        return _serverKeys.Protect(packet, PacketNumberOffset, pn, position - payloadStart);
    }

    private static int WriteVarint(Span<byte> destination, ulong value) =>
        QuicVarint.TryWrite(destination, value, out var written) ? written : throw new InvalidOperationException("no room");

    /// <summary>Sends what the client has to say; its 1-RTT packet numbers are counted so the server's ACKs cover them.</summary>
    private void Flush()
    {
        int length;
        while ((length = _client.WriteDatagram(_output, _now)) > 0)
        {
            if ((_output[0] & 0x80) == 0)
            {
                _clientLargestSent++;
            }
        }
    }

    private void Shuttle(QuicConnection from, QuicConnection to)
    {
        int length;
        while ((length = from.WriteDatagram(_output, _now)) > 0)
        {
            if (from == _client && (_output[0] & 0x80) == 0)
            {
                _clientLargestSent++;
            }

            to.ReceiveDatagram(_output.AsSpan(0, length), _now);
        }

        while (from.TryPollEvent(out _))
        {
        }
    }

    private static (X509Certificate2 Leaf, X509Certificate2Collection Roots) Certificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=bench CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(names.Build());
        using var signed = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [7, 7, 7]);
        return (signed.CopyWithPrivateKey(leafKey), [X509CertificateLoader.LoadCertificate(ca.RawData)]);
    }

    /// <summary>Keeps the server's first 1-RTT traffic secret from the client's key log.</summary>
    private sealed class KeyLog : ITlsObserver
    {
        public byte[]? ServerTrafficSecret { get; private set; }

        public void HandshakeMessage(WireDirection direction, TlsEncryptionLevel level, TlsHandshakeMessage message, ReadOnlySpan<byte> bytes)
        {
        }

        public void KeyLogLine(string line)
        {
            var parts = line.Split(' ');
            if (parts[0] == "SERVER_TRAFFIC_SECRET_0")
            {
                ServerTrafficSecret = Convert.FromHexString(parts[2]);
            }
        }
    }
}
