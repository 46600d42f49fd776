using Hxi.Cli.Repl.Parsing;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Net.Http2;
using Hxi.Net.Http3;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// The REPL over HTTP/3: requests on QUIC streams of one connection, frames and streams by hand (h3i's
/// commands), everything that arrives shown as it arrives; a closed connection is replaced on the next command.
/// </summary>
/// <remarks>Split by concern: <c>.Commands.cs</c> executes the raw commands on the driver thread,
/// <c>.Events.cs</c> explains what the server sends on its own and how the connection ends, <c>.Push.cs</c> shows server push.</remarks>
public sealed partial class Http3ReplSession : IReplSession
{
    private static readonly TimeSpan ServerSettingsWait = TimeSpan.FromSeconds(3);

    // The driver thread stops taking work once the connection is over, so nothing waits on it longer than this.
    private static readonly TimeSpan DriverWait = TimeSpan.FromSeconds(5);

    private readonly ReplContext _context;
    private readonly ClientOptions _options;
    private readonly QuicFigures _figures = new();
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private Http3ClientConnection? _connection;
    private QuicConnection? _core;
    private int _requestsOnConnection;
    private bool _connectedBefore;

    public Http3ReplSession(ReplContext context)
    {
        _context = context;
        _options = context.ClientOptions with
        {
            Tap = context.ConnectionTap(context.Renderer),
            TlsObserver = new TlsWireObserver(context.Renderer),
        };
        context.Stats.TransportFigures = _figures.Lines;
        Label = $"h3 {ReplConnector.Authority(context.BaseUrl)}";
    }

    public string Label { get; }

    public ReplDialect Dialect => ReplDialect.Http3;

    /// <summary>The frame view prints a response's fields under its HEADERS frame.</summary>
    public bool WireShowsResponseHead => _context.Renderer.View.Frames || _context.Renderer.View.Qpack;

    /// <summary>DATA frames show only their size, so the body is printed once the response is complete.</summary>
    public bool WireShowsResponseBody => false;

    public async Task ConnectAsync(CancellationToken ct) => await ConnectionAsync(forRequest: true, ct);

    public Task<ReplResponse> SendAsync(ReplRequest request, CancellationToken ct)
    {
        _lastByHand = null;
        return ReplExchange.ConnectAndSendAsync(
            async () => await ConnectionAsync(forRequest: true, ct), () => Interlocked.Increment(ref _requestsOnConnection), request, _context, ct);
    }

    public Task ExecuteAsync(ReplInstruction command, CancellationToken ct) => command switch
    {
        TypedRequest typed => SendTypedAsync(typed, ct),
        Http3WaitFrameCommand wait => WaitFrameAsync(wait, ct),
        WaitStreamEndCommand wait => WaitStreamAsync(wait, ct),
        WaitCloseCommand wait => WaitCloseAsync(wait, ct),
        PingCommand => PingAsync(ct),
        MigrateCommand migrate => MigrateAsync(migrate, ct),
        _ => ExecuteRawAsync(command, ct),
    };

    /// <summary>A request typed as HTTP/1.1 text, mapped to HEADERS (+DATA) as over HTTP/2, the mapping shown first.</summary>
    private async Task SendTypedAsync(TypedRequest typed, CancellationToken ct)
    {
        var request = TypedRequestMapping.Show(_context, typed, "https", "HTTP/3", "RFC 9114 4.2");
        var response = await SendAsync(request.Live(this), ct);
        ReplResponseWriter.Write(_context, response, headShown: true, bodyShown: true);
    }

    private async Task WaitFrameAsync(Http3WaitFrameCommand wait, CancellationToken ct)
    {
        if (!await _context.Watch.WaitForFrameAsync(wait.FrameType, wait.Timeout, ct))
        {
            throw new ReplCommandException($"wait: no {Http3FrameType.Name(wait.FrameType)} frame arrived within {wait.Timeout.TotalSeconds:0.###} s", FailureKind.Timeout);
        }

        await CatchUpWithDriverAsync();
    }

    private async Task WaitStreamAsync(WaitStreamEndCommand wait, CancellationToken ct)
    {
        if (!await _context.Watch.WaitForStreamEndAsync(wait.StreamId, wait.Timeout, ct))
        {
            throw new ReplCommandException($"wait: stream {wait.StreamId} did not end within {wait.Timeout.TotalSeconds:0.###} s", FailureKind.Timeout);
        }

        await CatchUpWithDriverAsync();
    }

    private async Task WaitCloseAsync(WaitCloseCommand wait, CancellationToken ct)
    {
        var closed = _closed?.Task;
        if (closed is null)
        {
            throw new ReplCommandException("wait close: there is no connection to wait for");
        }

        try
        {
            await closed.WaitAsync(wait.Timeout, ct);
        }
        catch (TimeoutException)
        {
            throw new ReplCommandException($"wait: the connection did not close within {wait.Timeout.TotalSeconds:0.###} s", FailureKind.Timeout);
        }

        if (await closed)
        {
            _context.Note("the connection closed as the script expected, so it is not counted as a connection error");
            _context.ConnectionFailureExpected();
        }
    }

    /// <summary>
    /// The watch sees a frame as it is decoded, a moment before the driver reports what it means; running
    /// one empty action on the driver thread waits for that report, so a script's next command never overtakes it.
    /// </summary>
    private async Task CatchUpWithDriverAsync()
    {
        if (_connection is not { } connection || _closedReason is not null)
        {
            return;
        }

        try
        {
            await connection.InvokeAsync((_, _) => 0).WaitAsync(DriverWait);
        }
        catch (TimeoutException)
        {
            // The driver stopped (the connection ended meanwhile): there is nothing left to catch up with.
        }
    }

    /// <summary>The live connection; a closed one (or, for a request, one going away) is replaced, and the REPL says why.</summary>
    private async Task<Http3ClientConnection> ConnectionAsync(bool forRequest, CancellationToken ct)
    {
        await _connectLock.WaitAsync(ct);
        try
        {
            if (_connection is { } live && _closedReason is null && (!forRequest || live.IsReusable))
            {
                return live;
            }

            if (_connection is { } old)
            {
                var why = _closedReason ?? "the server sent GOAWAY, so the connection takes no new requests";
                _connection = null;
                Detach(old);
                await old.DisposeAsync();
                ForgetPushes();
                _context.Note($"reconnecting to {ReplConnector.Authority(_context.BaseUrl)}: {why}");
            }

            var before = _context.Watch.Sequence;
            var connection = await Http3ClientConnection.ConnectAsync(_context.BaseUrl, _options, _options.TlsObserver, _options.Clock, ct);
            _closedReason = null;
            _closed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            connection.EventReceived += OnEvent;
            connection.Quic.EventReceived += OnQuicEvent;
            _context.Note($"{Commands.RequestRunner.ConnectionSummary(connection.Info)}; QUIC with ALPN h3");
            _core = await connection.InvokeAsync((_, quic) => quic);
            _figures.Add(_core);
            _context.Stats.ConnectionOpened(reconnect: _connectedBefore);
            _connectedBefore = true;
            _requestsOnConnection = 0;
            _connection = connection;
            // The server's SETTINGS come first; waiting for them makes scripts see the same order every run.
            await _context.Watch.WaitForAnyAsync(Http3FrameType.Settings, before, ServerSettingsWait, ct);
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

    private void Detach(Http3ClientConnection connection)
    {
        connection.EventReceived -= OnEvent;
        connection.Quic.EventReceived -= OnQuicEvent;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            Detach(connection);
            await connection.DisposeAsync();
        }

        _connectLock.Dispose();
    }
}
