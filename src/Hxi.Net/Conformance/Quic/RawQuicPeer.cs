using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Hxi.Net.Client;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Trace;

namespace Hxi.Net.Conformance.Quic;

/// <summary>
/// A QUIC client for one conformance case: hxi's own core over a connected UDP socket, driven step by step on the
/// case's task (no driver thread), so a case can slip a raw packet of any type in at the moment it chooses. Every
/// packet either way is the case's evidence.
/// </summary>
public sealed class RawQuicPeer : IAsyncDisposable
{
    private readonly CaseContext _context;
    private readonly Socket _socket;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly byte[] _buffer = new byte[65_536];
    private readonly HashSet<long> _acknowledged = [];

    private RawQuicPeer(CaseContext context, Socket socket, QuicConnectionOptions options)
    {
        _context = context;
        _socket = socket;
        Core = new QuicConnection(options, new EvidenceTap(this));
    }

    /// <summary>The client core: cases read the server's parameters from it and queue frames on it.</summary>
    public QuicConnection Core { get; }

    /// <summary>Called before each flush, on the case's task: where a case injects a packet at a point of the handshake.</summary>
    public Action<RawQuicPeer>? BeforeFlush { get; set; }

    /// <summary>The server's CONNECTION_CLOSE, once it came (null while the connection lives or when we closed it).</summary>
    public QuicConnectionClosed? ClosedByPeer => Core.CloseReason is { ByPeer: true } closed ? closed : null;

    /// <summary>Our own core gave up on the connection (the server broke a rule we enforce): the case cannot judge.</summary>
    public QuicConnectionClosed? ClosedByUs => Core.CloseReason is { ByPeer: false } closed ? closed : null;

    public int DatagramsReceived { get; private set; }

    private TimeSpan Now => _clock.Elapsed;

    /// <summary>
    /// Opens the UDP socket to the target and starts the handshake with <paramref name="adjust"/>ed client options; with
    /// <paramref name="waitFor"/> (by default: handshake confirmed), runs until that holds, the connection closes or the case's timeout.
    /// </summary>
    public static async Task<RawQuicPeer> ConnectAsync(
        CaseContext context,
        Func<QuicConnectionOptions, QuicConnectionOptions>? adjust = null,
        Action<RawQuicPeer>? beforeFlush = null,
        Func<RawQuicPeer, bool>? waitFor = null)
    {
        var target = context.Target;
        var socket = await OpenSocketAsync(target, context.Cancellation);
        var options = new QuicConnectionOptions
        {
            Role = QuicRole.Client,
            ServerName = IPAddress.TryParse(target.Url.IdnHost.Trim('[', ']'), out _) ? null : target.Url.IdnHost,
            ApplicationProtocols = ["h3"],
            Insecure = target.Insecure,

            // The cases write raw v1 packets: offer v1 alone, so no server moves the connection to v2 (RFC 9368).
            Versions = [QuicVersion.Version1],
            CustomRoots = target.CaCertificatePath is { } path ? LoadRoots(path) : null,
            CertificateTime = DateTimeOffset.UtcNow,
        };
        var peer = new RawQuicPeer(context, socket, adjust?.Invoke(options) ?? options) { BeforeFlush = beforeFlush };
        peer.Core.Start(peer.Now);
        waitFor ??= p => p.Core.IsHandshakeConfirmed;
        // The handshake's time comes on top of the case's, as ConformanceRunner's deadline allows.
        await peer.RunUntilAsync(p => waitFor(p) || p.Core.CloseReason is not null, target.CaseTimeout + TimeSpan.FromSeconds(5));
        return peer;
    }

    /// <summary>A connected UDP socket to the target's host and port (an IP literal or the first address of the name).</summary>
    public static async Task<Socket> OpenSocketAsync(ConformanceTarget target, CancellationToken ct)
    {
        var host = target.Url.IdnHost.Trim('[', ']');
        IPAddress address;
        try
        {
            address = IPAddress.TryParse(host, out var literal) ? literal
                : (await Dns.GetHostAddressesAsync(host, ct)).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
        }
        catch (Exception ex) when (ex is SocketException or InvalidOperationException)
        {
            throw new HxiException(FailureKind.Connect, $"could not resolve host '{host}': {ex.Message}", ex);
        }

        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(new IPEndPoint(address, target.Url.Port));
        return socket;
    }

    /// <summary>Sends one packet of <paramref name="shape"/>'s space carrying exactly <paramref name="frames"/>; returns its packet number.</summary>
    public long SendRaw(byte[] frames, QuicRawPacketShape shape)
    {
        var length = Core.WriteRawPacket(_buffer, frames, shape, out var packetNumber);
        Send(_buffer.AsSpan(0, length));
        return packetNumber;
    }

    /// <summary>A 1-RTT packet with frames, of the default shape.</summary>
    public long SendOneRtt(byte[] frames) => SendRaw(frames, new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData));

    /// <summary>Whether the server acknowledged our 1-RTT packet <paramref name="packetNumber"/>.</summary>
    public bool WasAcknowledged(long packetNumber) => _acknowledged.Contains(packetNumber);

    /// <summary>Feeds datagrams and timers to the core and sends what it writes, until <paramref name="done"/> or <paramref name="limit"/> passes.</summary>
    public async Task<bool> RunUntilAsync(Func<RawQuicPeer, bool> done, TimeSpan limit)
    {
        var deadline = Now + limit;
        while (true)
        {
            BeforeFlush?.Invoke(this);
            Flush();
            if (done(this))
            {
                return true;
            }

            if (Core.IsTerminated || Now >= deadline)
            {
                return false;
            }

            var wake = Core.NextTimeout is { } due && due < deadline ? due : deadline;
            await ReceiveAsync(wake - Now);
            if (Core.NextTimeout is { } next && next <= Now)
            {
                Core.HandleTimeout(Now);
            }
        }
    }

    private async Task ReceiveAsync(TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(_context.Cancellation);
        timer.CancelAfter(wait);
        try
        {
            var length = await _socket.ReceiveAsync(_buffer, SocketFlags.None, timer.Token);
            DatagramsReceived++;
            Core.ReceiveDatagram(_buffer.AsSpan(0, length), Now);
            // Whatever else has arrived is read now, before the core writes: as the driver does after a burst.
            while (_socket.Available > 0)
            {
                length = _socket.Receive(_buffer);
                DatagramsReceived++;
                Core.ReceiveDatagram(_buffer.AsSpan(0, length), Now);
            }
        }
        catch (OperationCanceledException) when (!_context.Cancellation.IsCancellationRequested)
        {
            // A timer of the core, or the caller's limit.
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            if (DatagramsReceived == 0)
            {
                throw new HxiException(FailureKind.Connect, $"nothing listens on UDP {_socket.RemoteEndPoint} (ICMP port unreachable)", ex);
            }
        }
    }

    private void Flush()
    {
        var scratch = new byte[65_536];
        int length;
        while ((length = Core.WriteDatagram(scratch, Now)) > 0)
        {
            Send(scratch.AsSpan(0, length));
        }
    }

    private void Send(ReadOnlySpan<byte> datagram)
    {
        try
        {
            _socket.Send(datagram);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // An earlier datagram was refused; the next receive reports it.
        }
    }

    private static X509Certificate2Collection LoadRoots(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new HxiException(FailureKind.Usage, $"--cacert {path}: {ex.Message}", ex);
        }

        return roots;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Turns the core's packet records into evidence, and notes which of our 1-RTT packets the server acknowledged.</summary>
    private sealed class EvidenceTap(RawQuicPeer owner) : IWireTap
    {
        public void Record(in WireRecord record)
        {
            if (record.Decoded is not QuicPacketTrace packet)
            {
                return;
            }

            var sent = record.Direction == WireDirection.Sent;
            // Received connection IDs point into a pooled receive buffer: the evidence keeps copies.
            owner._context.Record(new QuicPacketEvidence(sent, packet with
            {
                DestinationConnectionId = packet.DestinationConnectionId.ToArray(),
                SourceConnectionId = packet.SourceConnectionId.ToArray(),
            }));
            if (sent || packet.Type != Hxi.Protocols.Quic.Packets.QuicPacketType.OneRtt)
            {
                return;
            }

            foreach (var ack in packet.Frames.OfType<AckFrame>())
            {
                foreach (var range in ack.Ranges)
                {
                    // Only the recent ones matter; a case's probe is one of the last packets.
                    for (var pn = (long)range.Smallest; pn <= (long)range.Largest && pn - (long)range.Smallest < 4096; pn++)
                    {
                        owner._acknowledged.Add(pn);
                    }
                }
            }
        }
    }
}
