using Hxi.Net.Client;
using Hxi.Net.Quic;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Connection;
using H3ConnectionFailed = Hxi.Protocols.Http3.ConnectionFailed;
using H3GoAwayReceived = Hxi.Protocols.Http3.GoAwayReceived;

namespace Hxi.Net.Load;

/// <summary>
/// The HTTP/3 hot path of a load run, as <see cref="Http2LoadConnection"/> is HTTP/2's: the HTTP/3 and QUIC cores
/// live on the UDP driver's thread, and everything a request needs happens there, in the pass that read its answer:
/// its response is counted as its events arrive, the stream slot it frees opens the next request at once, and the
/// driver's flush sends the new HEADERS with the ACKs. No task, response object or wake-up per request, and no
/// 64 KB read buffer per connection.
/// </summary>
internal sealed class Http3LoadConnection
{
    // Response bodies of a load run are counted, not kept: a small buffer reads them in a few passes.
    private const int ReadBufferSize = 16 * 1024;

    private readonly QuicClientConnection _quic;
    private readonly Http3Connection _h3;
    private readonly LoadStatistics _statistics;
    private readonly RequestBudget _budget;
    private readonly PreparedRequest[] _requests;
    private readonly int _maxStreams;
    private readonly long _connectStarted;
    private readonly bool _sampleCompression;
    private readonly Dictionary<long, LoadExchange> _inFlight = [];
    private readonly Stack<LoadExchange> _free = new();
    private readonly byte[] _readBuffer = new byte[ReadBufferSize];
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _blockedStreamTimeout;
    private QuicConnection? _core;
    private bool _firstByteSeen;
    private bool _draining;
    private bool _retryArmed;

    private Http3LoadConnection(QuicClientConnection quic, ClientOptions options, LoadStatistics statistics, RequestBudget budget, PreparedRequest[] requests, int maxStreams, long connectStarted, bool sampleCompression)
    {
        _quic = quic;
        _statistics = statistics;
        _budget = budget;
        _requests = requests;
        _maxStreams = maxStreams;
        _connectStarted = connectStarted;
        _sampleCompression = sampleCompression;
        _blockedStreamTimeout = options.QpackBlockedStreamTimeout;
        _h3 = new Http3Connection(
            Http3Role.Client,
            new Http3ConnectionOptions
            {
                QpackMaxTableCapacity = options.QpackCapacity,
                MalformedMessages = MalformedMessagePolicy.Reject,
            },
            options.Tap,
            bidi => _core!.OpenStream(bidi));
    }

    /// <summary>The QUIC connection underneath: its handshake time, for the report's connect figures.</summary>
    public QuicClientConnection Quic => _quic;

    /// <summary>Completes when the budget is spent and every answer is in, or when the connection ends.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Why the connection ended early (GOAWAY, a close), or null when the budget simply ran out.</summary>
    public string? EndedBy { get; private set; }

    /// <summary>Makes the QUIC connection (ALPN h3), then starts HTTP/3 and the first -m requests on the driver thread.</summary>
    public static async Task<Http3LoadConnection> ConnectAsync(
        Uri url, ClientOptions options, LoadStatistics statistics, RequestBudget budget, PreparedRequest[] requests, int maxStreams, long connectStarted, bool sampleCompression, CancellationToken ct)
    {
        Http3LoadConnection? connection = null;
        var quic = await QuicClientConnection.ConnectAsync(url, ["h3"], options, options.TlsObserver, options.Clock, ct, q => q.EventReceived += e => connection?.OnQuicEvent(e));
        connection = new Http3LoadConnection(quic, options, statistics, budget, requests, maxStreams, connectStarted, sampleCompression);
        // Should the driver thread fail (a socket error), the run goes on without this connection instead of hanging.
        _ = quic.Terminated.ContinueWith(
            ended => connection.OnDriverEnded(ended.Exception?.InnerException),
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        await quic.InvokeAsync(core =>
        {
            connection.Start(core);
            return true;
        });
        return connection;
    }

    /// <summary>Sends H3_NO_ERROR (as a polite client does when it is done) and lets the driver go.</summary>
    public async Task CloseAsync()
    {
        try
        {
            if (!_quic.Closed.IsCompleted)
            {
                await _quic.CloseAsync((ulong)Http3ErrorCode.NoError, "");
            }
        }
        finally
        {
            await _quic.DisposeAsync();
        }
    }

    private void Start(QuicConnection core)
    {
        _core = core;
        _h3.Start();
        // The server's control stream may have arrived during the handshake, before anyone listened.
        foreach (var id in core.ReadableStreams())
        {
            Http3OverQuic.Read(_h3, core, id, _readBuffer);
        }

        Pump(core);
    }

    /// <summary>Every QUIC event, on the driver thread: stream bytes go up to HTTP/3, then its events are counted.</summary>
    private void OnQuicEvent(QuicEvent e)
    {
        if (_core is not { } core)
        {
            return;
        }

        switch (e)
        {
            case QuicStreamReadable or QuicStreamResetReceived or QuicStopSendingReceived:
                Http3OverQuic.Deliver(_h3, core, e, _readBuffer);
                break;
            case QuicConnectionClosed closed:
                var name = _budget.IsStopped && !closed.ByPeer ? null : CloseName(closed);
                FailAll(name);
                return;
        }

        Pump(core);
    }

    /// <summary>Counts what HTTP/3 reported, opens the streams freed, and hands HTTP/3's writes to QUIC.</summary>
    private void Pump(QuicConnection core)
    {
        DrainEvents();
        FillStreams(core);
        Http3OverQuic.Flush(_h3, core, _quic.Now);
        if (_draining && _inFlight.Count == 0)
        {
            _finished.TrySetResult();
        }
    }

    /// <summary>Opens streams up to -m (and the server's MAX_STREAMS) while the budget lasts.</summary>
    private void FillStreams(QuicConnection core)
    {
        while (!_draining && _inFlight.Count < _maxStreams)
        {
            if (!core.CanOpenStream(bidirectional: true))
            {
                // MAX_STREAMS spent: the server's next MAX_STREAMS rides on a packet that also brings events, unless
                // nothing is in flight to bring them; then a short wait looks again.
                if (_inFlight.Count == 0)
                {
                    RetrySoon();
                }

                return;
            }

            if (!_budget.TryTake(out var sequence))
            {
                _draining = true;
                return;
            }

            var request = _requests[sequence % _requests.Length];
            var entry = _free.Count > 0 ? _free.Pop() : new LoadExchange();
            entry.Begin();
            _statistics.RequestStarted();
            var streamId = _h3.SendRequest(request.Fields, endStream: request.Body is null);
            if (request.Body is not null)
            {
                _h3.SendData(streamId, request.Body, endStream: true);
            }

            _inFlight[streamId] = entry;
        }
    }

    private void RetrySoon()
    {
        if (_retryArmed)
        {
            return;
        }

        _retryArmed = true;
        _ = Task.Delay(TimeSpan.FromMilliseconds(1)).ContinueWith(_ => _quic.Post(core =>
        {
            _retryArmed = false;
            Pump(core);
        }), TaskScheduler.Default);
    }

    private void DrainEvents()
    {
        while (_h3.TryPollEvent(out var e))
        {
            switch (e)
            {
                case HeadersReceived headers when _inFlight.TryGetValue(headers.StreamId, out var entry):
                    OnFields(headers.StreamId, headers.Fields, headers.EndStream, entry);
                    break;
                case TrailersReceived trailers when _inFlight.TryGetValue(trailers.StreamId, out var entry):
                    OnFields(trailers.StreamId, trailers.Fields, trailers.EndStream, entry);
                    break;
                case DataReceived data when _inFlight.TryGetValue(data.StreamId, out var entry):
                    entry.BodyBytes += data.Data.Length;
                    if (data.EndStream)
                    {
                        Complete(data.StreamId, entry);
                    }

                    break;
                case StreamReset reset when _inFlight.Remove(reset.StreamId, out var entry):
                    _statistics.RequestFailed($"RESET_STREAM {Http3ErrorCodes.Name(reset.Code)}");
                    _free.Push(entry);
                    break;
                case MalformedMessageReceived { Rejected: true } malformed when _inFlight.Remove(malformed.Violation.StreamId, out var entry):
                    _statistics.RequestFailed("malformed response");
                    _free.Push(entry);
                    break;
                case StreamBlocked blocked when _inFlight.TryGetValue(blocked.StreamId, out var entry):
                    WatchBlockedStream(blocked.StreamId, entry);
                    break;
                case H3GoAwayReceived goAway:
                    OnGoAway(goAway);
                    break;
                case H3ConnectionFailed failed:
                    EndedBy ??= Http3ErrorCodes.Name((ulong)failed.Code);
                    _draining = true;
                    break;
            }
        }
    }

    /// <summary>
    /// Headers that need QPACK inserts not yet arrived wait for them (the decoder unblocks them when the encoder stream
    /// catches up, as it usually does within a packet or two); inserts that never come fail the request by name after
    /// the client's blocked-stream timeout (5 s) instead of holding its stream slot for ever (RFC 9204 Section 2.1.2).
    /// </summary>
    private void WatchBlockedStream(long streamId, LoadExchange entry)
    {
        _ = Task.Delay(_blockedStreamTimeout).ContinueWith(_ => _quic.Post(core =>
        {
            if (!_inFlight.TryGetValue(streamId, out var still) || still != entry || entry.FirstByte != 0)
            {
                return;
            }

            _inFlight.Remove(streamId);
            _h3.ResetStream(streamId, Http3ErrorCode.QpackDecompressionFailed);
            _statistics.RequestFailed("QPACK_DECOMPRESSION_FAILED");
            _free.Push(entry);
            Pump(core);
        }), TaskScheduler.Default);
    }

    /// <summary>A header section (interim, final) or the trailers: their bytes count, a final :status is the response's.</summary>
    private void OnFields(long streamId, IReadOnlyList<HeaderField> fields, bool endStream, LoadExchange entry)
    {
        var size = entry.CountFields(fields);
        if (_sampleCompression)
        {
            _statistics.CompressionSample(0, size);
        }

        if (endStream)
        {
            Complete(streamId, entry);
        }
    }

    private void Complete(long streamId, LoadExchange entry)
    {
        _inFlight.Remove(streamId);
        if (!_firstByteSeen)
        {
            _firstByteSeen = true;
            _statistics.ConnectionFirstByte(entry.FirstByte - _connectStarted);
        }

        entry.ReportCompleted(_statistics);
        _free.Push(entry);
    }

    /// <summary>GOAWAY: request streams at or above its id were not processed and fail with it; the rest may finish.</summary>
    private void OnGoAway(H3GoAwayReceived goAway)
    {
        const string name = "GOAWAY";
        _draining = true;
        EndedBy ??= name;
        foreach (var id in _inFlight.Keys.Where(id => id >= goAway.Id).ToList())
        {
            _inFlight.Remove(id, out var entry);
            _statistics.RequestFailed(name);
            _free.Push(entry!);
        }
    }

    private static string CloseName(QuicConnectionClosed closed) =>
        closed.IsApplicationError ? Http3ErrorCodes.Name(closed.ErrorCode) : closed.ByPeer ? "connection closed" : "QUIC connection error";

    /// <summary>The driver ended (a close, a socket error): whatever is still waiting fails, unless the run was stopped.</summary>
    private void OnDriverEnded(Exception? failure)
    {
        // The driver thread is gone by now: nothing else touches this state any more.
        FailAll(_budget.IsStopped ? null : failure is null ? "connection closed" : "connection lost");
    }

    /// <summary>The connection is gone: every request still waiting fails with <paramref name="reason"/> (none when stopped).</summary>
    private void FailAll(string? reason)
    {
        if (_finished.Task.IsCompleted)
        {
            return;
        }

        EndedBy ??= reason;
        _draining = true;
        if (reason is not null)
        {
            for (var i = 0; i < _inFlight.Count; i++)
            {
                _statistics.RequestFailed(EndedBy!);
            }
        }

        _inFlight.Clear();
        _finished.TrySetResult();
    }
}
