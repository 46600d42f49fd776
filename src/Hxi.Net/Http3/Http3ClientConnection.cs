using System.Diagnostics;
using System.Globalization;
using Hxi.Net.Client;
using Hxi.Net.Http2;
using Hxi.Net.Quic;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Net.Http3;

/// <summary>
/// HTTP/3 over hxi's QUIC: the HTTP/3 core and the QUIC core both live on the UDP driver's thread;
/// this class moves stream bytes between them and turns HTTP/3 events into responses.
/// </summary>
public sealed partial class Http3ClientConnection : IHttpConnection
{
    private const int ReadChunk = 64 * 1024;
    private const long UploadHighWater = 1024 * 1024;

    private readonly QuicClientConnection _quic;
    private readonly Http3Connection _h3;
    private readonly ResponseAssembler _responses;
    private readonly ResponseDelivery _delivery = new();
    private readonly Dictionary<long, PendingResponse> _pending;
    private readonly byte[] _readBuffer = new byte[ReadChunk];
    private QuicConnection? _core;
    private TimeSpan _startedAt;
    private string? _closedReason;
    private int _requestsCompleted;

    // Requests begun on this connection: every one after the first found it open and so reused it.
    private int _requestsStarted;
    private TaskCompletionSource? _creditWaiter;
    private readonly Func<long, IReadOnlyList<Hxi.Protocols.Primitives.HeaderField>, IResponseHandler>? _pushHandlerFactory;
    private readonly Stopwatch _clock;
    private readonly Func<Hxi.Protocols.Messages.MalformedMessagePolicy>? _malformedMessages;

    private Http3ClientConnection(QuicClientConnection quic, ClientOptions options, ConnectionInfo info)
    {
        _quic = quic;
        Info = info;
        _blockedStreamTimeout = options.QpackBlockedStreamTimeout;
        _pushHandlerFactory = options.PushHandlerFactory;
        _malformedMessages = options.MalformedMessages;
        _clock = options.Clock;
        _responses = new ResponseAssembler(new Streams(this));
        _pending = _responses.Pending;
        _h3 = new Http3Connection(
            Http3Role.Client,
            new Http3ConnectionOptions
            {
                QpackMaxTableCapacity = options.QpackCapacity,
                MaxPushId = MaxPushIdFor(options),
                MalformedMessages = options.MalformedMessages?.Invoke() ?? Hxi.Protocols.Messages.MalformedMessagePolicy.Reject,
                DataBufferPool = _delivery.Chunks,
            },
            options.Tap,
            bidi => _core!.OpenStream(bidi));
    }

    public string Protocol => "HTTP/3";

    /// <summary>What the connection is; with 0-RTT the TLS details arrive after the request went out, and are filled in then.</summary>
    public ConnectionInfo Info { get; private set; }

    public bool IsReusable => _closedReason is null && _h3.GoAwayId is null;

    public int RequestsCompleted => Volatile.Read(ref _requestsCompleted);

    public QuicClientConnection Quic => _quic;

    /// <summary>HTTP/3 events not tied to a request (SETTINGS, GOAWAY, unknown streams), raised on the driver thread.</summary>
    public event Action<HttpEvent>? EventReceived;

    /// <summary>Runs a command against the HTTP/3 and QUIC cores on the driver thread: the REPL's raw access.</summary>
    public Task<T> InvokeAsync<T>(Func<Http3Connection, QuicConnection, T> command) => _quic.InvokeAsync(core =>
    {
        var result = command(_h3, core);
        Pump(core);
        return result;
    });

    /// <summary>Opens QUIC (ALPN h3), then the control and QPACK streams.</summary>
    public static async Task<Http3ClientConnection> ConnectAsync(Uri url, ClientOptions options, Hxi.Protocols.Tls.ITlsObserver? tlsObserver, Stopwatch clock, CancellationToken ct)
    {
        Http3ClientConnection? connection = null;
        var quic = await QuicClientConnection.ConnectAsync(url, ["h3"], options, tlsObserver, clock, ct, q => q.EventReceived += e => connection?.OnQuicEvent(e));
        var certificate = await quic.InvokeAsync(core => (core.Tls as Hxi.Protocols.Tls.TlsClientHandshake)?.PeerCertificates.FirstOrDefault());
        var info = new ConnectionInfo
        {
            Host = url.IdnHost,
            Port = url.Port,
            RemoteEndPoint = quic.RemoteEndPoint,
            LocalEndPoint = quic.LocalEndPoint,
            Protocol = "h3",
            // QUIC does TCP's connect and TLS's handshake in one exchange: the handshake time is both.
            ConnectTime = quic.HandshakeTime,
            DnsTime = quic.DnsTime,
            // Sending 0-RTT, the handshake has not even started: the TLS details are filled in when it completes.
            Tls = quic.Handshake is null ? null : DescribeTls(quic.Handshake, certificate),
        };
        connection = new Http3ClientConnection(quic, options, info) { _startedAt = quic.Now - quic.HandshakeTime };
        // Should the driver thread fail (a socket error, a bug), waiting requests fail with it instead of hanging.
        // The thread is gone by then, so touching its state from here races with nothing.
        _ = quic.Terminated.ContinueWith(
            ended => connection.FailAll(ended.Exception!.InnerException!),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        await quic.InvokeAsync(core =>
        {
            connection._core = core;
            connection._h3.Start();
            // The server's control stream may have arrived during the handshake, before anyone listened.
            foreach (var id in core.ReadableStreams())
            {
                Http3OverQuic.Read(connection._h3, core, id, connection._readBuffer);
            }

            connection.Pump(core);
            return true;
        });
        return connection;
    }

    private static TlsInfo DescribeTls(QuicHandshakeCompleted? handshake, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate) => new(
        "TLSv1.3",
        handshake?.CipherSuite ?? "?",
        ["h3"],
        handshake?.ApplicationProtocol,
        certificate?.Subject ?? "(none)",
        certificate?.Issuer ?? "(none)",
        certificate?.NotBefore ?? default,
        certificate?.NotAfter ?? default,
        certificate is null ? [] : Hxi.Net.Transport.CertificateTrust.SubjectAlternativeNames(certificate));

    public async Task<ResponseSummary> SendAsync(HxiRequest request, IResponseHandler handler, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var (fields, _) = Http2RequestMapper.Map(request, "https");
        var pending = new PendingResponse(handler, clock, _delivery);
        var reused = Interlocked.Increment(ref _requestsStarted) > 1;
        var streamId = await OpenRequestStreamAsync(core =>
        {
            if (_closedReason is not null)
            {
                throw new HxiException(FailureKind.Protocol, $"the HTTP/3 connection is closed: {_closedReason}");
            }

            if (!core.CanOpenStream(bidirectional: true))
            {
                throw new HxiException(FailureKind.Protocol, "the server allows no more request streams (QUIC MAX_STREAMS)");
            }

            var id = _h3.SendRequest(fields, endStream: request.Body is null);
            _pending[id] = pending;
            Pump(core);
            _quic.ReleaseEarlyOutput();
            return id;
        });

        await using var cancel = ct.Register(() => _quic.Post(core =>
        {
            if (_pending.Remove(streamId))
            {
                _h3.ResetStream(streamId, Http3ErrorCode.RequestCancelled);
                Pump(core);
            }

            pending.Completion.TrySetCanceled();
        }));

        if (request.Body is not null)
        {
            await UploadAsync(streamId, request.Body, pending, ct);
        }

        var head = await pending.Delivered;
        Interlocked.Increment(ref _requestsCompleted);
        return new ResponseSummary(head, pending.BodyBytes, pending.TimeToFirstByte, clock.Elapsed, Info, reused);
    }

    /// <summary>
    /// Runs the request's opening on the driver thread. A connection error found while connecting (a bad SETTINGS, say)
    /// may have closed QUIC and stopped the driver before this runs; the request then fails with that error, which names
    /// the RFC code, rather than with the driver's bare "connection is closed".
    /// </summary>
    private async Task<long> OpenRequestStreamAsync(Func<QuicConnection, long> open)
    {
        try
        {
            return await _quic.InvokeAsync(open);
        }
        catch (HxiException ex) when (_closedReason is { } reason && !ex.Message.Contains(reason, StringComparison.Ordinal))
        {
            throw new HxiException(FailureKind.Protocol, $"the HTTP/3 connection is closed: {reason}", ex);
        }
    }

    private async Task UploadAsync(long streamId, RequestBody body, PendingResponse pending, CancellationToken ct)
    {
        await using var source = body.Open();
        var buffer = new byte[ReadChunk];
        while (!pending.Completion.Task.IsCompleted && !pending.UploadStopped)
        {
            var read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            var last = read < buffer.Length;
            var chunk = buffer.AsMemory(0, read).ToArray();
            var waiter = await _quic.InvokeAsync(core =>
            {
                _h3.SendData(streamId, chunk, endStream: last);
                Pump(core);
                if (core.GetBufferedBytes(streamId) < UploadHighWater)
                {
                    return null;
                }

                _creditWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _creditWaiter.Task;
            });
            if (last)
            {
                return;
            }

            if (waiter is not null)
            {
                // Woken when the peer acknowledges or grants credit; a timeout keeps a stuck peer from hanging us.
                await Task.WhenAny(waiter, Task.Delay(TimeSpan.FromMilliseconds(50), ct));
            }
        }
    }

    /// <summary>Moves what the HTTP/3 core wrote onto QUIC streams, then acts on its events. Driver thread only.</summary>
    private void Pump(QuicConnection core)
    {
        Http3OverQuic.Flush(_h3, core, _quic.Now);
        DrainHttp3Events();
    }

    private void OnQuicEvent(QuicEvent e)
    {
        var core = _core;
        if (core is null)
        {
            return;
        }

        switch (e)
        {
            case QuicStreamReadable readable when PauseReading(readable.StreamId):
                break;
            case QuicStreamReadable or QuicStreamResetReceived or QuicStopSendingReceived:
                if (_malformedMessages is { } policy)
                {
                    _h3.MalformedMessages = policy();
                }

                Http3OverQuic.Deliver(_h3, core, e, _readBuffer);
                break;
            case QuicSendCreditAvailable:
                _creditWaiter?.TrySetResult();
                _creditWaiter = null;
                break;
            case QuicHandshakeCompleted completed when Info.Tls is null:
                Info = Info with
                {
                    ConnectTime = _quic.Now - _startedAt,
                    Tls = DescribeTls(completed, (core.Tls as Hxi.Protocols.Tls.TlsClientHandshake)?.PeerCertificates.FirstOrDefault()),
                };
                break;
            case QuicConnectionClosed closed:
                FailAll(closed.ByPeer
                    ? $"the server closed the QUIC connection: {Describe(closed)}"
                    : $"hxi closed the QUIC connection: {Describe(closed)}");
                break;
        }

        Pump(core);
    }

    private static string Describe(QuicConnectionClosed closed) =>
        closed.IsApplicationError ? $"{Http3ErrorCodes.Name(closed.ErrorCode)}{(closed.Reason.Length > 0 ? $" ({closed.Reason})" : "")}" : closed.Describe();

    /// <summary>The driver thread failed: a socket error is a lost connection; anything else is a bug, passed on as itself.</summary>
    private void FailAll(Exception driverFailure)
    {
        if (driverFailure is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            FailAll($"the UDP socket failed: {driverFailure.Message}");
            return;
        }

        _closedReason ??= $"hxi failed: {driverFailure.GetType().Name}: {driverFailure.Message}";
        foreach (var pending in _pending.Values)
        {
            pending.Completion.TrySetException(driverFailure);
        }

        _pending.Clear();
    }

    private void FailAll(string reason)
    {
        _closedReason ??= reason;
        foreach (var pending in _pending.Values)
        {
            pending.Completion.TrySetException(new HxiException(FailureKind.Protocol, reason));
        }

        _pending.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_closedReason is null)
            {
                await _quic.CloseAsync((ulong)Http3ErrorCode.NoError, "");
            }
        }
        finally
        {
            FailAll("connection closed");
            _delivery.Complete();
            await _quic.DisposeAsync();
        }
    }
}
