using System.Buffers;
using Hxi.Net.Transport;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Load;

/// <summary>
/// The HTTP/2 hot path of a load run: one thread owns the connection and its core, reads what arrives, counts
/// each response as it ends and opens the next stream in the same pass, then writes everything in one go, as
/// h2load does. No locks, no task per request, nothing kept per response, so it keeps up with h2load.
/// </summary>
internal sealed class Http2LoadConnection
{
    private const int ReadBufferSize = 64 * 1024;

    // Reads in a row before a write must go out anyway, so a server that never pauses cannot starve our requests.
    private const int MaxDeferredReads = 16;

    private readonly TransportConnection _transport;
    private readonly Http2Connection _core;
    private readonly LoadStatistics _statistics;
    private readonly RequestBudget _budget;
    private readonly PreparedRequest[] _requests;
    private readonly int _maxStreams;
    private readonly long _connectStarted;
    private readonly bool _sampleCompression;
    private readonly Dictionary<int, LoadExchange> _inFlight = [];
    private readonly Stack<LoadExchange> _free = new();
    private readonly ArrayBufferWriter<byte> _outgoing = new(64 * 1024);
    private bool _firstByteSeen;
    private bool _draining;

    public Http2LoadConnection(TransportConnection transport, Hxi.Net.Client.ClientOptions options, LoadStatistics statistics, RequestBudget budget, PreparedRequest[] requests, int maxStreams, long connectStarted, bool sampleCompression)
    {
        _transport = transport;
        _statistics = statistics;
        _budget = budget;
        _requests = requests;
        _maxStreams = maxStreams;
        _connectStarted = connectStarted;
        _sampleCompression = sampleCompression;
        _core = new Http2Connection(options.Http2ConnectionOptions(), options.Tap);
    }

    /// <summary>Why the connection ended early (GOAWAY, a lost socket), or null when the budget simply ran out.</summary>
    public string? EndedBy { get; private set; }

    /// <summary>Runs the connection to its end on the calling thread: the budget is spent, or the server ended it.</summary>
    public void Run()
    {
        var buffer = new byte[ReadBufferSize];
        var deferred = 0;
        _core.Start();
        while (true)
        {
            // While more bytes wait on the socket, read them before writing: one write then carries the HEADERS of
            // every stream that ended, as h2load batches, instead of one small TLS record per response.
            if (deferred == 0)
            {
                FillStreams();
                Flush();
            }

            if (_inFlight.Count == 0)
            {
                return;
            }

            int read;
            try
            {
                read = _transport.Stream.Read(buffer);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                FailAll(_budget.IsStopped ? null : "connection lost");
                return;
            }

            if (read == 0)
            {
                FailAll("connection closed");
                return;
            }

            _core.Receive(buffer.AsMemory(0, read));
            DrainEvents();
            if (_core.IsFailed)
            {
                Flush();
                FailAll(EndedBy ?? "protocol error");
                return;
            }

            deferred = _transport.Socket.Available > 0 && deferred < MaxDeferredReads ? deferred + 1 : 0;
        }
    }

    /// <summary>Opens streams up to -m (and the server's SETTINGS_MAX_CONCURRENT_STREAMS) while the budget lasts.</summary>
    private void FillStreams()
    {
        var limit = (int)Math.Min(_maxStreams, _core.PeerSettings.MaxConcurrentStreams);
        while (!_draining && _inFlight.Count < limit)
        {
            if (!_budget.TryTake(out var sequence))
            {
                _draining = true;
                return;
            }

            int streamId;
            try
            {
                streamId = _core.OpenStream();
            }
            catch (InvalidOperationException)
            {
                // Stream ids are spent (2^31 of them): this connection ends and the client opens another.
                _budget.GiveBack();
                _draining = true;
                EndedBy = "stream ids exhausted";
                return;
            }

            var request = _requests[sequence % _requests.Length];
            var entry = _free.Count > 0 ? _free.Pop() : new LoadExchange();
            entry.Begin();
            _inFlight[streamId] = entry;
            _statistics.RequestStarted();
            _core.SendHeaders(streamId, request.Fields, endStream: request.Body is null);
            if (request.Body is not null)
            {
                _core.SendData(streamId, request.Body, endStream: true);
            }
        }
    }

    private void DrainEvents()
    {
        while (_core.TryPollEvent(out var e))
        {
            switch (e)
            {
                case HeadersReceived headers when _inFlight.TryGetValue((int)headers.StreamId, out var entry):
                    OnFields((int)headers.StreamId, headers.Fields, headers.EndStream, entry);
                    break;
                case TrailersReceived trailers when _inFlight.TryGetValue((int)trailers.StreamId, out var entry):
                    OnFields((int)trailers.StreamId, trailers.Fields, trailers.EndStream, entry);
                    break;
                case DataReceived data when _inFlight.TryGetValue((int)data.StreamId, out var entry):
                    entry.BodyBytes += data.Data.Length;
                    if (data.EndStream)
                    {
                        Complete((int)data.StreamId, entry);
                    }

                    break;
                case StreamReset reset when _inFlight.Remove((int)reset.StreamId, out var entry):
                    _statistics.RequestFailed($"RST_STREAM {Http2ErrorCodes.Name(reset.Code)}");
                    _free.Push(entry);
                    break;
                case MalformedMessageReceived { Rejected: true } malformed when _inFlight.Remove((int)malformed.Violation.StreamId, out var entry):
                    _statistics.RequestFailed("malformed response");
                    _free.Push(entry);
                    break;
                case GoAwayReceived goAway:
                    OnGoAway(goAway);
                    break;
                case ConnectionFailed failed:
                    EndedBy = $"connection error {Http2ErrorCodes.Name((uint)failed.Code)}";
                    break;
            }
        }
    }

    /// <summary>A header section (interim, final) or the trailers: their bytes count, a final :status is the response's.</summary>
    private void OnFields(int streamId, IReadOnlyList<HeaderField> fields, bool endStream, LoadExchange entry)
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

    private void Complete(int streamId, LoadExchange entry)
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

    /// <summary>GOAWAY: streams above its last id were not processed and fail with its code; the rest may finish.</summary>
    private void OnGoAway(GoAwayReceived goAway)
    {
        var name = $"GOAWAY {Http2ErrorCodes.Name(goAway.ErrorCode)}";
        _draining = true;
        EndedBy = name;
        foreach (var id in _inFlight.Keys.Where(id => id > goAway.LastStreamId).ToList())
        {
            _inFlight.Remove(id, out var entry);
            _statistics.RequestFailed(name);
            _free.Push(entry!);
        }
    }

    /// <summary>The connection is gone: every request still waiting fails with <paramref name="reason"/> (none when stopped).</summary>
    private void FailAll(string? reason)
    {
        EndedBy ??= reason;
        if (reason is not null)
        {
            for (var i = 0; i < _inFlight.Count; i++)
            {
                _statistics.RequestFailed(EndedBy!);
            }
        }

        _inFlight.Clear();
    }

    private void Flush()
    {
        _core.Transmit(_outgoing);
        if (_outgoing.WrittenCount == 0)
        {
            return;
        }

        try
        {
            _transport.Stream.Write(_outgoing.WrittenSpan);
            _transport.Stream.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The read that follows sees the socket gone and fails what is waiting.
        }

        _outgoing.ResetWrittenCount();
    }

    /// <summary>Sends GOAWAY NO_ERROR, as a polite client does when it is done.</summary>
    public void Close()
    {
        if (!_core.IsFailed && !_core.GoAwaySent)
        {
            _core.SendGoAway(Http2ErrorCode.NoError);
            Flush();
        }
    }
}

/// <summary>A request of a load run, mapped once for HTTP/2 (and HTTP/3): its field list and its body bytes.</summary>
internal sealed record PreparedRequest(IReadOnlyList<HeaderField> Fields, byte[]? Body);
