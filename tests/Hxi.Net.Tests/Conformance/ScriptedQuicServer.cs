using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Endpoint;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Net.Tests.Conformance;

/// <summary>
/// A QUIC server on loopback UDP for the QUIC cases' both-ways test: hxi's own endpoint in the server role (ALPN h3,
/// no application on top). Conforming, it is the server role as hxi serve runs it. Lax, its connections drop a packet
/// that breaks a rule instead of closing, and a front in the socket loop accepts what the endpoint would refuse: short
/// Initial datagrams are padded to 1200 bytes, a short datagram of an unknown version is answered with Version
/// Negotiation, and a full-size one is taken as version 1.
/// </summary>
internal sealed class ScriptedQuicServer : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly QuicEndpoint _endpoint;
    private readonly bool _lax;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(3));
    private readonly Task _loop;

    private ScriptedQuicServer(bool lax)
    {
        _lax = lax;
        var (leaf, caPath) = TlsTestServer.MakeChain("localhost", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CaPath = caPath;
        Certificate = leaf;
        _endpoint = new QuicEndpoint(new QuicEndpointOptions
        {
            Connection = new QuicConnectionOptions
            {
                Role = QuicRole.Server,
                Certificate = leaf,
                ApplicationProtocols = ["h3"],
                IgnoreTransportErrors = lax,
            },
        });
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = new Uri($"https://localhost:{((IPEndPoint)_socket.LocalEndPoint!).Port}/");
        _loop = Task.Run(RunAsync);
    }

    public static ScriptedQuicServer Conforming() => new(lax: false);

    public static ScriptedQuicServer Lax() => new(lax: true);

    public Uri Url { get; }

    /// <summary>The CA that signed the server's certificate (for localhost), for --cacert.</summary>
    public string CaPath { get; }

    private X509Certificate2 Certificate { get; }

    /// <summary>What went wrong inside the server loop: a conforming run must leave this empty.</summary>
    public List<string> Errors { get; } = [];

    private TimeSpan Now => _clock.Elapsed;

    private async Task RunAsync()
    {
        var buffer = new byte[65_536];
        EndPoint anyone = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                if (_endpoint.NextTimeout is { } due)
                {
                    wake.CancelAfter(due > Now ? due - Now : TimeSpan.Zero);
                }

                try
                {
                    var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, anyone, wake.Token);
                    Receive(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), (IPEndPoint)received.RemoteEndPoint);
                }
                catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                {
                    // A timer is due.
                }
                catch (SocketException)
                {
                    // ICMP from a client socket that closed: nothing to do.
                }

                if (_endpoint.NextTimeout is { } next && next <= Now)
                {
                    _endpoint.HandleTimeout(Now);
                }

                Flush(buffer);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                lock (Errors)
                {
                    Errors.Add(ex.ToString());
                }
            }
        }
    }

    private void Receive(byte[] datagram, IPEndPoint from)
    {
        if (_lax && (datagram[0] & 0x80) != 0 && datagram.Length >= 7)
        {
            // Versions the endpoint speaks (v1, and v2 after a compatible upgrade) pass as they are; only a v1 Initial is padded.
            var version = BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(1));
            if (!QuicVersion.IsSupported(version))
            {
                if (datagram.Length < 1200)
                {
                    var destination = datagram.AsSpan(6, datagram[5]);
                    var source = datagram.AsSpan(7 + datagram[5], datagram[6 + datagram[5]]);
                    _socket.SendTo(QuicPacketWriter.BuildVersionNegotiation(source, destination, [version, QuicVersion.Version1]), from);
                    return;
                }

                BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(1), QuicVersion.Version1);
                version = QuicVersion.Version1;
            }

            if (version == QuicVersion.Version1 && datagram.Length < 1200 && (datagram[0] & 0x30) == 0)
            {
                datagram = PadInitial(datagram);
            }
        }

        var connection = _endpoint.ReceiveDatagram(datagram, from, Now);
        while (connection is not null && connection.Connection.TryPollEvent(out _))
        {
        }

        while (_endpoint.TryPollEvent(out _))
        {
        }
    }

    /// <summary>A client Initial resealed with PADDING up to 1200 bytes, as if the client had sent it so.</summary>
    private static byte[] PadInitial(byte[] datagram)
    {
        if (!QuicPacketParser.TryParse(datagram, 0, out var header, out _))
        {
            return datagram;
        }

        var destination = header.DestinationConnectionId.ToArray();
        var source = header.SourceConnectionId.ToArray();
        var token = header.Token.ToArray();
        var (opener, _) = QuicPacketKeys.CreateInitial(destination);
        var packet = datagram.AsSpan(0, header.Packet.Length);
        if (!opener.TryUnprotect(packet, header.PacketNumberOffset, null, out var opened))
        {
            return datagram;
        }

        var frames = packet.Slice(opened.PayloadOffset, opened.PayloadLength).ToArray();
        var (sealer, _) = QuicPacketKeys.CreateInitial(destination);
        var padded = new byte[1500];
        var length = QuicPacketWriter.WriteLongHeaderPacket(padded, sealer, QuicPacketType.Initial, destination, source, token,
            opened.PacketNumber, opened.PacketNumberLength, frames, minimumLength: 1200);
        return padded[..length];
    }

    private void Flush(byte[] buffer)
    {
        int length;
        while ((length = _endpoint.WriteDatagram(buffer, Now, out var remote)) > 0 && remote is not null)
        {
            _socket.SendTo(buffer.AsSpan(0, length), remote);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _stop.Dispose();
        _endpoint.Dispose();
        Certificate.Dispose();
        File.Delete(CaPath);
    }
}
