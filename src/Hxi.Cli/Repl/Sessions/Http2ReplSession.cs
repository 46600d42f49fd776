using Hxi.Cli.Repl.Parsing;
using Hxi.Net.Client;
using Hxi.Net.Http2;
using Hxi.Net.Transport;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// The REPL over HTTP/2: requests on streams of one connection, frames by hand, everything that arrives
/// shown as it arrives; a connection that ended is replaced on the next command.
/// </summary>
/// <remarks>Split by concern: <c>.Frames.cs</c> executes the frame commands, <c>.Events.cs</c> explains what the server sends on its own.</remarks>
public sealed partial class Http2ReplSession : IReplSession
{
    private static readonly TimeSpan ServerPrefaceWait = TimeSpan.FromSeconds(3);

    private readonly ReplContext _context;
    private readonly ProtocolMode _mode;
    private readonly Http2EchoTap _echo;
    private readonly ClientOptions _options;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private TransportConnection? _firstTransport;
    private Http2ClientConnection? _connection;
    private int _requestsOnConnection;
    private bool _connectedBefore;

    public Http2ReplSession(ReplContext context, ProtocolMode mode, TransportConnection? firstTransport)
    {
        _context = context;
        _mode = mode;
        _firstTransport = firstTransport;
        _echo = new Http2EchoTap(context.Renderer);
        _options = context.ClientOptions with { Tap = context.ConnectionTap(_echo) };
        Label = $"{(context.BaseUrl.Scheme == Uri.UriSchemeHttps ? "h2" : "h2c")} {ReplConnector.Authority(context.BaseUrl)}";
    }

    public string Label { get; }

    public bool WireShowsResponseHead => _context.Renderer.View.Frames;

    /// <summary>DATA frames show only their size, so the body is printed once the response is complete.</summary>
    public bool WireShowsResponseBody => false;

    private string Scheme => _context.BaseUrl.Scheme;

    public async Task ConnectAsync(CancellationToken ct) => await ConnectionAsync(forRequest: true, ct);

    public async Task<IDisposable?> HoldFlushesAsync(CancellationToken ct) =>
        (await ConnectionAsync(forRequest: true, ct)).HoldFlushes();

    public Task<ReplResponse> SendAsync(ReplRequest request, CancellationToken ct)
    {
        _lastByHand = null;
        return ReplExchange.ConnectAndSendAsync(
            async () => await ConnectionAsync(forRequest: true, ct), () => Interlocked.Increment(ref _requestsOnConnection), request, _context, ct);
    }

    public Task ExecuteAsync(ReplInstruction command, CancellationToken ct) => command switch
    {
        TypedRequest typed => SendTypedAsync(typed, ct),
        WaitFrameCommand wait => WaitFrameAsync(wait, ct),
        WaitStreamEndCommand wait => WaitStreamAsync(wait, ct),
        _ => ExecuteFrameCommandAsync(command, ct),
    };

    /// <summary>A request typed as HTTP/1.1 text, mapped to HEADERS (+DATA), the mapping shown first.</summary>
    private async Task SendTypedAsync(TypedRequest typed, CancellationToken ct)
    {
        var request = TypedRequestMapping.Show(_context, typed, Scheme, "HTTP/2", "RFC 9113 8.2.2");
        var response = await SendAsync(request.Live(this), ct);
        ReplResponseWriter.Write(_context, response, headShown: true, bodyShown: true);
    }

    private async Task WaitFrameAsync(WaitFrameCommand wait, CancellationToken ct)
    {
        var name = Protocols.Http2.Http2FrameNames.Name(wait.FrameType);
        if (!await _context.Watch.WaitForFrameAsync(wait.FrameType, wait.Timeout, ct))
        {
            throw new ReplCommandException($"wait: no {name} frame arrived within {wait.Timeout.TotalSeconds:0.###} s", FailureKind.Timeout);
        }

        await CatchUpWithReaderAsync();

        if (wait.FrameType == (byte)Protocols.Http2.Http2FrameType.GoAway)
        {
            _context.Note("GOAWAY arrived as the script expected, so it is not counted as a connection error");
            _context.ConnectionFailureExpected();
        }
    }

    private async Task WaitStreamAsync(WaitStreamEndCommand wait, CancellationToken ct)
    {
        if (!await _context.Watch.WaitForStreamEndAsync(wait.StreamId, wait.Timeout, ct))
        {
            throw new ReplCommandException($"wait: stream {wait.StreamId} did not end within {wait.Timeout.TotalSeconds:0.###} s", FailureKind.Timeout);
        }

        await CatchUpWithReaderAsync();
    }

    /// <summary>
    /// The watch sees a frame as it is decoded, a moment before the reading loop reports what it means
    /// (the GOAWAY explanation, a stream's answer). Taking the connection's lock once waits for that report,
    /// so the next command of a script never overtakes it.
    /// </summary>
    private async Task CatchUpWithReaderAsync()
    {
        if (_connection is not { } connection)
        {
            return;
        }

        try
        {
            await connection.ExecuteAsync(_ => { });
        }
        catch (HxiException)
        {
            // Closed since: the lock was still taken, which is all this was for.
        }
    }

    /// <summary>The live connection; a closed one (or, for a request, one going away) is replaced, and the REPL says why.</summary>
    private async Task<Http2ClientConnection> ConnectionAsync(bool forRequest, CancellationToken ct)
    {
        await _connectLock.WaitAsync(ct);
        try
        {
            if (_connection is { ClosedReason: null } live && (!forRequest || live.IsReusable))
            {
                return live;
            }

            if (_connection is { } old)
            {
                var why = old.ClosedReason ?? "the connection is going away (GOAWAY) and takes no new streams";
                _connection = null;
                Detach(old);
                await old.DisposeAsync();
                _context.Note($"reconnecting to {ReplConnector.Authority(_context.BaseUrl)}: {why}");
            }

            var transport = _firstTransport ?? await ReplConnector.ConnectAsync(_context, _mode, ct);
            _firstTransport = null;
            if (!ReplConnector.SpeaksHttp2(transport, _mode))
            {
                await transport.DisposeAsync();
                throw new ReplCommandException($"the server no longer selects h2 (ALPN chose {transport.Info.Tls?.AlpnChosen ?? "nothing"})");
            }

            var before = _context.Watch.Sequence;
            var upgrade = UpgradesByHttp1(transport) ? await AskToSwitchAsync(transport, ct) : null;
            var connection = new Http2ClientConnection(transport, _options, transport.Info with { Protocol = Label.Split(' ')[0] });
            connection.EventReceived += OnEvent;
            connection.Closed += OnClosed;
            _context.Stats.ConnectionOpened(reconnect: _connectedBefore);
            _connectedBefore = true;
            _requestsOnConnection = 0;
            PendingResponse? upgradeAnswer = null;
            if (upgrade is { } switched)
            {
                _requestsOnConnection = 1;

                // Stream 1's printer runs on the connection's delivery task like any stream's: a slow terminal must
                // not hold up the reader thread that answers PING and SETTINGS.
                upgradeAnswer = connection.NewPendingResponse(switched.Printer, switched.Clock);
                await connection.StartAsync(switched.BytesAfterSwitch, upgradedStreamId: 1, upgradeAnswer);
            }
            else
            {
                await connection.StartAsync();
            }

            _connection = connection;
            // The server's SETTINGS come first; waiting for them makes scripts see the same order every run.
            await _context.Watch.WaitForAnyAsync((byte)Protocols.Http2.Http2FrameType.Settings, before, ServerPrefaceWait, ct);
            if (upgrade is { } upgraded && upgradeAnswer is not null)
            {
                await ShowUpgradeAnswerAsync(upgraded, upgradeAnswer, ct);
            }

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

    private void Detach(Http2ClientConnection connection)
    {
        connection.EventReceived -= OnEvent;
        connection.Closed -= OnClosed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            Detach(connection);
            await connection.DisposeAsync();
        }

        if (_firstTransport is { } unused)
        {
            await unused.DisposeAsync();
        }

        _connectLock.Dispose();
    }
}
