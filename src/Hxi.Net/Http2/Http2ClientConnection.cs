using System.Buffers;
using System.Diagnostics;
using Hxi.Net.Client;
using Hxi.Net.Transport;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Http2;

/// <summary>
/// Drives an <see cref="Http2Connection"/> core over a byte stream: one reading loop applies what
/// arrives, any thread may issue commands; every command is followed by a flush.
/// </summary>
/// <remarks>
/// The core is not thread-safe, so every call into it holds <c>_gate</c>. Writes take bytes out of
/// the core under the gate and put them on the wire under <c>_writeLock</c>, which keeps frame order.
/// </remarks>
public sealed partial class Http2ClientConnection : IHttpConnection
{
    private const int ReadBufferSize = 256 * 1024;

    private readonly TransportConnection _transport;
    private readonly ClientOptions _options;
    private readonly Http2Connection _core;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _outgoing = new(64 * 1024);
    private readonly ResponseAssembler _responses;
    private readonly ResponseDelivery _delivery = new();
    private readonly Dictionary<long, PendingResponse> _pending;
    private TaskCompletionSource? _uploadWaiter;
    private Thread? _reader;
    private volatile bool _disposing;
    private string? _closedReason;
    private int _requestsCompleted;

    // Requests begun on this connection, the h2c Upgrade's stream 1 included: every one after the first found the
    // connection open and so reused it (curl's "Re-using existing connection", multiplexed or not).
    private int _requestsStarted;

    public Http2ClientConnection(TransportConnection transport, ClientOptions options, ConnectionInfo info)
    {
        _transport = transport;
        _options = options;
        Info = info;
        // Body credit goes back as handlers consume the bytes, on their own task: a slow terminal slows the server, not our ACKs.
        _core = new Http2Connection(options.Http2ConnectionOptions() with { StreamCreditOnConsume = true }, options.Tap);
        _responses = new ResponseAssembler(new Streams(this));
        _pending = _responses.Pending;
    }

    public string Protocol => "HTTP/2";

    public ConnectionInfo Info { get; }

    public bool IsReusable
    {
        get
        {
            lock (_gate)
            {
                return _closedReason is null && !_core.IsGoingAway;
            }
        }
    }

    public int RequestsCompleted => Volatile.Read(ref _requestsCompleted);

    /// <summary>Facts that are not part of any request's response (SETTINGS, PING, GOAWAY, unsolicited resets).</summary>
    public event Action<HttpEvent>? EventReceived;

    /// <summary>Why the connection ended, once it has.</summary>
    public string? ClosedReason => _closedReason;

    /// <summary>Sends the preface and SETTINGS and starts reading; <paramref name="leftover"/> is input already read (h2c Upgrade).</summary>
    public async Task StartAsync(ReadOnlyMemory<byte> leftover = default, int? upgradedStreamId = null, PendingResponse? upgraded = null)
    {
        lock (_gate)
        {
            _core.Start();
            if (upgradedStreamId is { } id && upgraded is not null)
            {
                _core.AdoptUpgradedStream(id);
                _pending[id] = upgraded;
                _requestsStarted = 1;
            }

            if (!leftover.IsEmpty)
            {
                _core.Receive(leftover.Span);
                DrainEvents();
            }
        }

        await FlushAsync(CancellationToken.None);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "hxi h2 reader" };
        _reader.Start();
    }

    /// <summary>
    /// A request's wait for its response whose handler runs on this connection's delivery task, as every request sent
    /// here does: for the answer to an h2c Upgrade (stream 1), which is asked for before the connection exists.
    /// </summary>
    public PendingResponse NewPendingResponse(IResponseHandler handler, Stopwatch clock) => new(handler, clock, _delivery);

    /// <summary>Runs <paramref name="command"/> against the core under the lock, then flushes: the REPL's raw access.</summary>
    public async Task ExecuteAsync(Action<Http2Connection> command, CancellationToken ct = default)
    {
        lock (_gate)
        {
            ThrowIfClosed();
            command(_core);
        }

        await FlushAsync(ct);
    }

    public async Task<ResponseSummary> SendAsync(HxiRequest request, IResponseHandler handler, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var scheme = _transport.Stream is System.Net.Security.SslStream ? "https" : "http";
        var (fields, _) = Http2RequestMapper.Map(request, scheme);
        var pending = new PendingResponse(handler, clock, _delivery);
        var reused = Interlocked.Increment(ref _requestsStarted) > 1;
        int streamId;
        lock (_gate)
        {
            ThrowIfClosed();
            if (_core.IsGoingAway)
            {
                // RFC 9113 6.8: no new stream after a GOAWAY; one opened now would wait for an answer that never comes.
                throw new HxiException(FailureKind.Protocol, "the HTTP/2 connection is going away (GOAWAY): no new stream may be opened on it (RFC 9113 6.8)");
            }

            streamId = _core.OpenStream();
            _pending[streamId] = pending;
            _core.SendHeaders(streamId, fields, endStream: request.Body is null);
        }

        await FlushAsync(ct);
        await using var cancel = ct.Register(() => CancelStream(streamId, pending));
        if (request.Body is not null)
        {
            await UploadAsync(streamId, request.Body, pending, ct);
        }

        var head = await pending.Delivered;
        Interlocked.Increment(ref _requestsCompleted);
        return new ResponseSummary(head, pending.BodyBytes, pending.TimeToFirstByte, clock.Elapsed, Info, reused);
    }

    private async Task UploadAsync(int streamId, RequestBody body, PendingResponse pending, CancellationToken ct)
    {
        const int chunkSize = 64 * 1024;
        const long highWater = 1024 * 1024;
        await using var source = body.Open();
        while (!pending.Completion.Task.IsCompleted)
        {
            var buffer = new byte[chunkSize];
            var read = await source.ReadAtLeastAsync(buffer, chunkSize, throwOnEndOfStream: false, ct);
            lock (_gate)
            {
                if (_core.GetStreamState(streamId) is not (Http2StreamState.Open or Http2StreamState.HalfClosedRemote))
                {
                    return;
                }

                _core.SendData(streamId, buffer.AsMemory(0, read), endStream: read < chunkSize);
            }

            await FlushAsync(ct);
            if (read < chunkSize)
            {
                return;
            }

            // Keep at most ~1 MiB queued behind flow control; the read loop wakes us on WINDOW_UPDATE.
            while (true)
            {
                Task opened;
                lock (_gate)
                {
                    if (_core.GetQueuedBytes(streamId) < highWater || pending.Completion.Task.IsCompleted)
                    {
                        break;
                    }

                    _uploadWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    opened = _uploadWaiter.Task;
                }

                await opened.WaitAsync(ct);
            }
        }
    }

    private void CancelStream(int streamId, PendingResponse pending)
    {
        lock (_gate)
        {
            if (_pending.Remove(streamId) && _closedReason is null)
            {
                _core.ResetStream(streamId, Http2ErrorCode.Cancel);
            }
        }

        pending.Completion.TrySetCanceled();
        _ = FlushAsync(CancellationToken.None);
    }

    private int _flushHolds;

    /// <summary>
    /// Holds frames back until the returned handle is disposed, then sends them in one write: how
    /// <c>get /a /b /c</c> puts all three HEADERS on the wire before any answer can come back.
    /// </summary>
    public IDisposable HoldFlushes()
    {
        Interlocked.Increment(ref _flushHolds);
        return new FlushHold(this);
    }

    private sealed class FlushHold(Http2ClientConnection owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0 && Interlocked.Decrement(ref owner._flushHolds) == 0)
            {
                _ = owner.FlushAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Writes are synchronous like the reads (see TransportConnector.ConnectBlockingAsync): one async
    /// write would put the socket in emulated-blocking mode and cost the reading thread a wake-up per read.
    /// </summary>
    private Task FlushAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _flushHolds) == 0)
        {
            Flush();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The reading loop runs on its own thread with blocking reads: one connection, one reader, and
    /// no thread-pool hop per TLS record (async reads cost a wake-up each; a 100 MB body has 6,400).
    /// </summary>
    private void ReadLoop()
    {
        var buffer = new byte[ReadBufferSize];
        try
        {
            while (true)
            {
                var read = _transport.Stream.Read(buffer);
                if (read == 0)
                {
                    Close("the server closed the connection");
                    return;
                }

                bool mustFlush;
                TaskCompletionSource? waiter;
                lock (_gate)
                {
                    if (_options.MalformedMessages is { } policy)
                    {
                        _core.MalformedMessages = policy();
                    }

                    // Frames are parsed in place in the read buffer; the events are consumed before the next read.
                    _core.Receive(buffer.AsMemory(0, read));
                    DrainEvents();
                    mustFlush = _core.HasPendingOutput;
                    waiter = _uploadWaiter;
                    _uploadWaiter = null;
                }

                // An upload waiting for flow-control credit re-checks its window after every read.
                waiter?.TrySetResult();
                if (mustFlush)
                {
                    Flush();
                }

                if (_core.IsFailed)
                {
                    Close(_closedReason ?? "protocol error");
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Close(_disposing ? "connection closed" : $"connection lost: {ex.Message}");
        }
        catch (Exception ex)
        {
            // A bug must not end the process from this thread (an unhandled exception is SIGABRT): the requests
            // waiting fail with it as it is, and the top level reports it as a bug in hxi (exit 1).
            Close($"hxi failed: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    /// <summary>The reading thread's flush: synchronous, so the thread never waits on the pool.</summary>
    private void Flush()
    {
        _writeLock.Wait();
        try
        {
            lock (_gate)
            {
                _core.Transmit(_outgoing);
            }

            if (_outgoing.WrittenCount > 0)
            {
                _transport.Stream.Write(_outgoing.WrittenSpan);
                _transport.Stream.Flush();
                _outgoing.ResetWrittenCount();
            }
        }
        catch (IOException ex)
        {
            Close($"connection lost while writing: {ex.Message}");
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void ThrowIfClosed()
    {
        if (_closedReason is not null)
        {
            // When hxi failed the connection, the reason already says so; a request that came too late gets the same line.
            throw new HxiException(FailureKind.Protocol, _core.IsFailed ? _closedReason : $"the HTTP/2 connection is closed: {_closedReason}");
        }
    }

    /// <summary>Fails every request still waiting; the reason says who ended the connection and how.</summary>
    private void Close(string reason, Exception? bug = null)
    {
        List<PendingResponse> orphans;
        lock (_gate)
        {
            _closedReason ??= reason;
            orphans = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var orphan in orphans)
        {
            orphan.Completion.TrySetException(bug ?? new HxiException(FailureKind.Protocol, _closedReason));
        }

        RaiseClosed(_closedReason);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_closedReason is null && !_core.GoAwaySent)
            {
                _core.SendGoAway(Http2ErrorCode.NoError);
            }
        }

        try
        {
            await FlushAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer may already be gone; closing is all that is left to do.
        }

        // Closing the socket is what ends the blocking read on the reader thread.
        _disposing = true;
        Close("connection closed");
        _delivery.Complete();
        await _transport.DisposeAsync();
        _reader?.Join(TimeSpan.FromSeconds(5));
    }
}
