using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Trace;

namespace Hxi.Net.Tests;

/// <summary>
/// An HTTP/3 server on loopback UDP (hxi's own QUIC in the server role, raw HTTP/3 bytes) that answers one GET with a
/// body in two parts and watches the client's ACKs through a wire tap: between the parts, a test can have it send a
/// PING and wait until the client acknowledges the packet that carried it.
/// </summary>
public sealed class AckWatchingHttp3Server : IAsyncDisposable, IWireTap
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly X509Certificate2 _certificate = MakeCertificate();
    private readonly QuicConnection _quic;
    private readonly byte[] _body;
    private readonly int _firstPart;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(3));
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly TaskCompletionSource _firstPartSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<long, List<byte>> _received = [];
    private readonly byte[] _readBuffer = new byte[65_536];
    private readonly Task _loop;
    private long? _requestStream;
    private EndPoint? _client;

    // Set on the loop when a PING goes out and is then acknowledged; read by the tap, which runs on the loop too.
    private bool _pingQueued;
    private long? _pingPacket;
    private TaskCompletionSource<AckFrame>? _pingAcknowledged;

    /// <summary>Answers the first request with <paramref name="body"/>: its first <paramref name="firstPart"/> bytes at once, the rest on <see cref="SendRest"/>.</summary>
    public AckWatchingHttp3Server(byte[] body, int firstPart)
    {
        _body = body;
        _firstPart = firstPart;
        CaPath = Path.Combine(Path.GetTempPath(), $"hxi-ack-h3-{Guid.NewGuid():N}.pem");
        File.WriteAllText(CaPath, _certificate.ExportCertificatePem());
        _quic = new QuicConnection(new QuicConnectionOptions { Role = QuicRole.Server, Certificate = _certificate, ApplicationProtocols = ["h3"] }, this);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = new Uri($"https://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}/slow");
        _loop = Task.Run(RunAsync);
    }

    public Uri Url { get; }

    /// <summary>The server certificate as PEM (it is its own CA), for --cacert.</summary>
    public string CaPath { get; }

    /// <summary>Completes once the response HEADERS and the body's first part were handed to QUIC.</summary>
    public Task FirstPartSent => _firstPartSent.Task;

    /// <summary>Sends a PING in a packet of its own making; completes with the client's first ACK that covers that packet.</summary>
    public Task<AckFrame> PingAsync()
    {
        var acknowledged = new TaskCompletionSource<AckFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _commands.Enqueue(() =>
        {
            _pingAcknowledged = acknowledged;
            _pingPacket = null;
            _pingQueued = true;
            _quic.SendRawFrame(PingFrame.Instance);
        });
        return acknowledged.Task;
    }

    /// <summary>Sends the rest of the body and ends the response.</summary>
    public void SendRest() => _commands.Enqueue(() => _quic.WriteStream(_requestStream!.Value, Data(_body.AsSpan(_firstPart)), fin: true));

    /// <summary>The tap: notes the packet number of the PING's packet, then the ACK that covers it.</summary>
    public void Record(in WireRecord record)
    {
        if (record.Decoded is not QuicPacketTrace packet)
        {
            return;
        }

        if (record.Direction == WireDirection.Sent && _pingQueued && packet.Frames.Any(f => f is PingFrame))
        {
            _pingQueued = false;
            _pingPacket = packet.PacketNumber;
        }
        else if (record.Direction == WireDirection.Received && _pingPacket is { } number)
        {
            foreach (var ack in packet.Frames.OfType<AckFrame>())
            {
                if (ack.Acknowledges((ulong)number))
                {
                    _pingPacket = null;
                    _pingAcknowledged?.TrySetResult(ack);
                }
            }
        }
    }

    private TimeSpan Now => _clock.Elapsed;

    private async Task RunAsync()
    {
        var datagram = new byte[65_536];
        EndPoint anyone = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (!_quic.IsTerminated)
            {
                // Wakes for the QUIC timer, and at least every few milliseconds for the test's commands.
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var wait = TimeSpan.FromMilliseconds(5);
                if (_quic.NextTimeout is { } due && due - Now < wait)
                {
                    wait = due > Now ? due - Now : TimeSpan.Zero;
                }

                wake.CancelAfter(wait);
                try
                {
                    var received = await _socket.ReceiveFromAsync(datagram, SocketFlags.None, anyone, wake.Token);
                    _client = received.RemoteEndPoint;
                    _quic.ReceiveDatagram(datagram.AsSpan(0, received.ReceivedBytes), Now);
                }
                catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                {
                    // A QUIC timer is due, or a command may be waiting.
                }

                if (_quic.NextTimeout is { } next && next <= Now)
                {
                    _quic.HandleTimeout(Now);
                }

                while (_commands.TryDequeue(out var command))
                {
                    command();
                }

                Pump();
                Flush(datagram);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed, or the test ran far too long.
        }
        catch (Exception ex)
        {
            // A bug here must fail the test that waits, not vanish.
            _firstPartSent.TrySetException(ex);
            _pingAcknowledged?.TrySetException(ex);
        }
    }

    private void Pump()
    {
        while (_quic.TryPollEvent(out var e))
        {
            switch (e)
            {
                case QuicHandshakeCompleted:
                    Open(RawHttp3.ControlStream, RawHttp3.Frame(RawHttp3.Settings));
                    Open(RawHttp3.EncoderStream, []);
                    break;
                case QuicStreamReadable readable:
                    Read(readable.StreamId);
                    break;
            }
        }
    }

    private void Open(byte streamType, byte[] bytes)
    {
        var id = _quic.OpenStream(bidirectional: false);
        _quic.WriteStream(id, [streamType, .. bytes], fin: false);
    }

    /// <summary>Keeps what the client sent per stream; once a request's HEADERS are whole, answers with the head and the body's first part.</summary>
    private void Read(long streamId)
    {
        if (!_received.TryGetValue(streamId, out var bytes))
        {
            _received[streamId] = bytes = [];
        }

        int read;
        while ((read = _quic.ReadStream(streamId, _readBuffer, out _)) > 0)
        {
            bytes.AddRange(_readBuffer.AsSpan(0, read));
        }

        if ((streamId & 0x3) == 0 && _requestStream is null && StartsWithHeaders(CollectionsMarshal.AsSpan(bytes)))
        {
            _requestStream = streamId;
            _quic.WriteStream(streamId, [.. RawHttp3.Frame(RawHttp3.Headers, RawHttp3.Status200), .. Data(_body.AsSpan(0, _firstPart))], fin: false);
            _firstPartSent.TrySetResult();
        }
    }

    private static byte[] Data(ReadOnlySpan<byte> bytes) => RawHttp3.Frame(RawHttp3.Data, bytes.ToArray());

    private static bool StartsWithHeaders(ReadOnlySpan<byte> bytes) =>
        QuicVarint.TryRead(bytes, out var type, out var typeLength)
        && type == RawHttp3.Headers
        && QuicVarint.TryRead(bytes[typeLength..], out var length, out var lengthLength)
        && bytes.Length >= typeLength + lengthLength + (long)length;

    private void Flush(byte[] buffer)
    {
        int length;
        while (_client is not null && (length = _quic.WriteDatagram(buffer, Now)) > 0)
        {
            _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, _client);
        }
    }

    /// <summary>Self-signed for 127.0.0.1, good for server authentication: the client trusts it as its own CA.</summary>
    private static X509Certificate2 MakeCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=hxi ack-watching h3", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _stop.Dispose();
        _certificate.Dispose();
        File.Delete(CaPath);
    }
}
