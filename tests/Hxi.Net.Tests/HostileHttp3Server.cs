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
using Hxi.Protocols.Quic.Parameters;

namespace Hxi.Net.Tests;

/// <summary>
/// A fake HTTP/3 server on loopback UDP: hxi's own QUIC in the server role, but raw HTTP/3 bytes instead of the
/// HTTP/3 core, so it can break every rule. It opens a control stream (an empty SETTINGS, unless told otherwise) and a
/// QPACK encoder stream, runs one scripted attack once the client's request HEADERS are in, and records how the client
/// answered. Its transport parameters can be rewritten too, for attacks that end the handshake.
/// </summary>
public sealed class HostileHttp3Server : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly X509Certificate2 _certificate = MakeCertificate();
    private readonly QuicConnection _quic;
    private readonly Action<HostileHttp3Streams> _attack;
    private readonly byte[] _controlPreamble;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(15));
    private readonly TaskCompletionSource<QuicConnectionClosed> _clientClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ulong> _requestStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<byte[]> _decoderInstructions = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<long, List<byte>> _received = [];
    private readonly byte[] _readBuffer = new byte[65_536];
    private readonly Task _loop;
    private HostileHttp3Streams? _streams;
    private bool _attacked;
    private EndPoint? _client;

    private HostileHttp3Server(
        Action<HostileHttp3Streams> attack,
        byte[] controlPreamble,
        Func<QuicTransportParameters, QuicTransportParameters>? transportParameters)
    {
        _attack = attack;
        _controlPreamble = controlPreamble;
        CaPath = Path.Combine(Path.GetTempPath(), $"hxi-hostile-h3-{Guid.NewGuid():N}.pem");
        File.WriteAllText(CaPath, _certificate.ExportCertificatePem());
        _quic = new QuicConnection(new QuicConnectionOptions
        {
            Role = QuicRole.Server,
            Certificate = _certificate,
            ApplicationProtocols = ["h3"],
            RewriteTransportParameters = transportParameters,
        });
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = new Uri($"https://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}/hostile");
        _loop = Task.Run(RunAsync);
    }

    public Uri Url { get; }

    /// <summary>The server certificate as PEM (it is its own CA), for --cacert.</summary>
    public string CaPath { get; }

    /// <summary>Runs <paramref name="attack"/> on the server's loop, which owns the QUIC connection, as soon as a complete request HEADERS frame arrived.</summary>
    public static HostileHttp3Server AfterRequest(Action<HostileHttp3Streams> attack) => new(attack, RawHttp3.Frame(RawHttp3.Settings), null);

    /// <summary>
    /// As <see cref="AfterRequest(Action{HostileHttp3Streams})"/>, but the control stream opens with
    /// <paramref name="controlPreamble"/> (after its type byte) instead of an empty SETTINGS, and the transport
    /// parameters pass through <paramref name="transportParameters"/> before they are sent.
    /// </summary>
    public static HostileHttp3Server AfterRequest(
        Action<HostileHttp3Streams> attack,
        byte[] controlPreamble,
        Func<QuicTransportParameters, QuicTransportParameters>? transportParameters = null) =>
        new(attack, controlPreamble, transportParameters);

    /// <summary>The client's CONNECTION_CLOSE, once it arrives.</summary>
    public Task<QuicConnectionClosed> ClientClosedAsync() => _clientClosed.Task.WaitAsync(Patience);

    /// <summary>The error code of the client's STOP_SENDING on its request stream, once it arrives.</summary>
    public Task<ulong> RequestStoppedAsync() => _requestStopped.Task.WaitAsync(Patience);

    /// <summary>The first instructions on the client's QPACK decoder stream (after its type byte), once they arrive.</summary>
    public Task<byte[]> ClientDecoderInstructionsAsync() => _decoderInstructions.Task.WaitAsync(Patience);

    private TimeSpan Now => _clock.Elapsed;

    private async Task RunAsync()
    {
        var datagram = new byte[65_536];
        EndPoint anyone = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (!_quic.IsTerminated)
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                if (_quic.NextTimeout is { } due)
                {
                    wake.CancelAfter(due > Now ? due - Now : TimeSpan.Zero);
                }

                try
                {
                    var received = await _socket.ReceiveFromAsync(datagram, SocketFlags.None, anyone, wake.Token);
                    _client = received.RemoteEndPoint;
                    _quic.ReceiveDatagram(datagram.AsSpan(0, received.ReceivedBytes), Now);
                }
                catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                {
                    // A QUIC timer is due.
                }

                if (_quic.NextTimeout is { } next && next <= Now)
                {
                    _quic.HandleTimeout(Now);
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
            // A broken attack or a bug here must fail the test that waits, not vanish.
            _clientClosed.TrySetException(ex);
            _requestStopped.TrySetException(ex);
            _decoderInstructions.TrySetException(ex);
        }
    }

    private void Pump()
    {
        while (_quic.TryPollEvent(out var e))
        {
            switch (e)
            {
                case QuicHandshakeCompleted:
                    _streams = new HostileHttp3Streams(_quic, Open(RawHttp3.ControlStream), Open(RawHttp3.EncoderStream));
                    _streams.Control(_controlPreamble);
                    break;
                case QuicStreamReadable readable:
                    Read(readable.StreamId);
                    break;
                case QuicStopSendingReceived stop when IsClientRequestStream(stop.StreamId):
                    _requestStopped.TrySetResult(stop.ErrorCode);
                    break;
                case QuicConnectionClosed closed when closed.ByPeer:
                    _clientClosed.TrySetResult(closed);
                    break;
            }
        }
    }

    private long Open(byte streamType)
    {
        var id = _quic.OpenStream(bidirectional: false);
        _quic.WriteStream(id, [streamType], fin: false);
        return id;
    }

    /// <summary>Reads what the client sent, keeps it per stream, and sets off the attack once a request's HEADERS are whole.</summary>
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

        if (IsClientRequestStream(streamId) && !_attacked && _streams is not null && StartsWithHeaders(CollectionsMarshal.AsSpan(bytes)))
        {
            _attacked = true;
            _streams.RequestStreamId = streamId;
            _attack(_streams);
        }
        else if (bytes is [RawHttp3.DecoderStream, _, ..])
        {
            _decoderInstructions.TrySetResult([.. bytes[1..]]);
        }
    }

    private static bool StartsWithHeaders(ReadOnlySpan<byte> bytes) =>
        QuicVarint.TryRead(bytes, out var type, out var typeLength)
        && type == RawHttp3.Headers
        && QuicVarint.TryRead(bytes[typeLength..], out var length, out var lengthLength)
        && bytes.Length >= typeLength + lengthLength + (long)length;

    private static bool IsClientRequestStream(long streamId) => (streamId & 0x3) == 0;

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
        var request = new CertificateRequest("CN=hxi hostile h3", key, HashAlgorithmName.SHA256);
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

/// <summary>What an attack may write on: the server's control and QPACK encoder streams, and the client's request stream.</summary>
public sealed class HostileHttp3Streams(QuicConnection quic, long controlStreamId, long encoderStreamId)
{
    /// <summary>The request stream whose HEADERS set the attack off.</summary>
    public long RequestStreamId { get; internal set; }

    /// <summary>Bytes after the control stream's type byte (and its SETTINGS); <paramref name="fin"/> closes the stream.</summary>
    public void Control(ReadOnlySpan<byte> bytes, bool fin = false) => quic.WriteStream(controlStreamId, bytes, fin);

    /// <summary>Bytes after the encoder stream's type byte: QPACK encoder instructions.</summary>
    public void Encoder(ReadOnlySpan<byte> bytes, bool fin = false) => quic.WriteStream(encoderStreamId, bytes, fin);

    /// <summary>Frames on the client's request stream: the response, or whatever stands in for it.</summary>
    public void Request(ReadOnlySpan<byte> bytes, bool fin = false) => quic.WriteStream(RequestStreamId, bytes, fin);

    /// <summary>RESET_STREAM on the control stream.</summary>
    public void ResetControl(ulong errorCode) => quic.ResetStream(controlStreamId, errorCode);

    /// <summary>RESET_STREAM on the client's request stream.</summary>
    public void ResetRequest(ulong errorCode) => quic.ResetStream(RequestStreamId, errorCode);

    /// <summary>Opens one more server unidirectional stream: its type, then <paramref name="bytes"/>.</summary>
    public long OpenUnidirectional(long streamType, ReadOnlySpan<byte> bytes, bool fin = false)
    {
        var id = quic.OpenStream(bidirectional: false);
        quic.WriteStream(id, [.. RawHttp3.Varint(streamType), .. bytes], fin);
        return id;
    }

    /// <summary>A QUIC frame exactly as given, in the next 1-RTT packet: attacks below HTTP/3.</summary>
    public void Quic(QuicFrame frame) => quic.SendRawFrame(frame);
}
