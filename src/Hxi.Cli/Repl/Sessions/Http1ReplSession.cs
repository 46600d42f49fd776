using System.Buffers;
using System.Diagnostics;
using System.Text;
using Hxi.Cli.Repl.Parsing;
using Hxi.Net.Client;
using Hxi.Net.Http1;
using Hxi.Net.Transport;
using Hxi.Protocols.Http1;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// The REPL over HTTP/1.1, raw like telnet: typed bytes go out exactly as typed, the answer is printed as
/// it arrives, requests may be pipelined, and keep-alive (or its end) is said out loud.
/// </summary>
public sealed class Http1ReplSession : IReplSession
{
    private readonly ReplContext _context;
    private readonly ProtocolMode _mode;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Queue<Exchange> _waiting = new();
    private TransportConnection? _firstTransport;
    private Http1RawConnection? _connection;
    private int _requestsOnConnection;
    private bool _connectedBefore;

    // Set when a response said Connection: close; the server may not have closed yet, but the next request must not wait for it.
    private volatile bool _closeAnnounced;

    public Http1ReplSession(ReplContext context, ProtocolMode mode, TransportConnection? firstTransport)
    {
        _context = context;
        _mode = mode;
        _firstTransport = firstTransport;
        Label = $"http/1.1 {ReplConnector.Authority(context.BaseUrl)}";
    }

    /// <summary>A request on the wire waiting for its response; responses come back in the order requests went out.</summary>
    private sealed class Exchange(string target, int number)
    {
        public string Target { get; } = target;

        public int Number { get; } = number;

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public Http1ResponseHeadReceived? Head { get; set; }

        public MemoryStream Body { get; } = new();

        public TaskCompletionSource<ReplResponse> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public string Label { get; }

    /// <summary>The raw text of the answer is always printed as it arrives, frame view or not.</summary>
    public bool WireShowsResponseHead => true;

    public bool WireShowsResponseBody => true;

    public async Task ConnectAsync(CancellationToken ct) => await ConnectionAsync(ct);

    public async Task<ReplResponse> SendAsync(ReplRequest request, CancellationToken ct)
    {
        var head = new ArrayBufferWriter<byte>();
        var headers = request.Headers.Any(h => h.Name.Equals("host", StringComparison.OrdinalIgnoreCase))
            ? request.Headers
            : [new HeaderField("Host", ReplConnector.Authority(_context.BaseUrl)), .. request.Headers];
        try
        {
            Http1RequestWriter.Write(head, request.Method, request.Target, headers, request.Body is null ? null : request.Body.Length);
        }
        catch (ArgumentException ex)
        {
            throw new ReplCommandException($"{request.Method} {request.Target}: {ex.Message}");
        }

        return await SendBytesAsync([.. head.WrittenSpan, .. request.Body ?? []], request.Method, request.Target, ct);
    }

    public async Task ExecuteAsync(ReplInstruction command, CancellationToken ct)
    {
        switch (command)
        {
            case TypedRequest typed:
                var response = await SendBytesAsync(typed.RawText, typed.Method, typed.Target, ct);
                _context.Note(ReplResponseWriter.Describe(response));
                break;
            case WaitFrameCommand or WaitStreamEndCommand:
                throw new ReplCommandException("wait frame and wait stream are for HTTP/2; this connection speaks HTTP/1.1 (wait 200ms works)");
            case var http3 when ReplCommandNames.IsHttp3Only(http3):
                throw new ReplCommandException(
                    $"{ReplCommandNames.Typed(http3)} is an HTTP/3 command, but this connection speaks HTTP/1.1 (start hxi repl with --http3-only)");
            default:
                throw new ReplCommandException(
                    $"{ReplCommandNames.Typed(command)} sends an HTTP/2 frame, but this connection speaks HTTP/1.1 (use an https:// URL where ALPN picks h2, or --http2-prior-knowledge)");
        }
    }

    /// <summary>Writes the bytes as they are and waits for the response they asked for.</summary>
    private async Task<ReplResponse> SendBytesAsync(byte[] bytes, string method, string target, CancellationToken ct)
    {
        var exchange = new Exchange(target, _context.NextRequestNumber());
        try
        {
            var connection = await ConnectionAsync(ct);
            var order = Interlocked.Increment(ref _requestsOnConnection);
            if (order > 1)
            {
                _context.Stats.ConnectionReused();
                _context.Note($"reusing the kept-alive connection (request {order} on it)");
            }

            lock (_gate)
            {
                _waiting.Enqueue(exchange);
            }

            var har = Http1HarEntries.Begin(_context, bytes, method, target);
            await connection.SendAsync(bytes, method, ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_context.RequestTimeout);
            var response = await exchange.Done.Task.WaitAsync(timeout.Token);
            _context.Stats.RequestCompleted(response.Duration);
            Http1HarEntries.Complete(_context, har, response, connection.Info, order > 1);
            return response;
        }
        catch (HxiException ex)
        {
            _context.Stats.RequestFailed();
            throw ReplCommandException.From(ex, $"{method} {target}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _context.Stats.RequestFailed();
            throw new ReplCommandException($"{method} {target}: no complete response within {_context.RequestTimeout.TotalSeconds:0} s", FailureKind.Timeout);
        }
    }

    private void OnEvent(Http1Event e)
    {
        Exchange? current;
        lock (_gate)
        {
            _waiting.TryPeek(out current);
        }

        if (current is null)
        {
            return;
        }

        switch (e)
        {
            case Http1ResponseHeadReceived head:
                current.Head = head;
                break;
            case Http1BodyDataReceived data:
                current.Body.Write(data.Data.Span);
                break;
            case Http1ResponseCompleted completed:
                lock (_gate)
                {
                    _waiting.Dequeue();
                }

                _closeAnnounced |= !completed.KeepAlive;
                var head1 = current.Head!;
                current.Done.TrySetResult(new ReplResponse(current.Target, head1.Version, head1.StatusCode, head1.Reason, head1.Headers,
                    current.Body.ToArray(), current.Clock.Elapsed, null, current.Number));
                _context.Note(completed.KeepAlive
                    ? "response complete; the connection is kept alive for the next request"
                    : "response complete; the server will close the connection (the next request reconnects)");
                break;
            case Http1SwitchingProtocols or Http1TunnelEstablished:
                _context.Warn("the server switched protocols; the REPL cannot follow, the next request reconnects");
                break;
        }
    }

    private void OnClosed(string reason)
    {
        List<Exchange> orphans;
        lock (_gate)
        {
            orphans = [.. _waiting];
            _waiting.Clear();
        }

        foreach (var orphan in orphans)
        {
            orphan.Done.TrySetException(new HxiException(FailureKind.Protocol, reason));
        }

        if (reason.StartsWith("connection lost", StringComparison.Ordinal) || reason.StartsWith("malformed", StringComparison.Ordinal))
        {
            _context.ConnectionFailed(reason);
            _context.Warn($"{reason}; the next request reconnects");
        }
        else
        {
            _context.Note($"{reason}; the next request reconnects");
        }
    }

    private async Task<Http1RawConnection> ConnectionAsync(CancellationToken ct)
    {
        await _connectLock.WaitAsync(ct);
        try
        {
            if (_connection is { ClosedReason: null } live && !_closeAnnounced)
            {
                return live;
            }

            if (_connection is { } old)
            {
                var why = old.ClosedReason ?? "the last response said Connection: close";
                _context.Note($"reconnecting to {ReplConnector.Authority(_context.BaseUrl)}: {why}");
                old.EventReceived -= OnEvent;
                old.Closed -= OnClosed;
                await old.DisposeAsync();
                _connection = null;
            }

            var transport = _firstTransport ?? await ReplConnector.ConnectAsync(_context, _mode, ct);
            _firstTransport = null;
            var connection = new Http1RawConnection(transport, _context.ConnectionTap(new Http1EchoTap(_context)));
            connection.EventReceived += OnEvent;
            connection.Closed += OnClosed;
            _context.Stats.ConnectionOpened(reconnect: _connectedBefore);
            _connectedBefore = true;
            _requestsOnConnection = 0;
            _closeAnnounced = false;
            connection.Start();
            _connection = connection;
            return connection;
        }
        catch (HxiException ex)
        {
            throw ReplCommandException.From(ex);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            connection.EventReceived -= OnEvent;
            connection.Closed -= OnClosed;
            await connection.DisposeAsync();
        }

        if (_firstTransport is { } unused)
        {
            await unused.DisposeAsync();
        }

        _connectLock.Dispose();
    }
}
