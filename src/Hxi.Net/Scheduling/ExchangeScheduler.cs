using System.Diagnostics;
using Hxi.Net.Client;

namespace Hxi.Net.Scheduling;

/// <summary>
/// The concurrency core that <c>hxi load</c> and one-shot mode with several URLs share: one connection at a time to
/// one origin, with up to <c>streamsPerConnection</c> requests in flight on it (one on HTTP/1.1), each stream slot
/// taking the queue's next request as soon as its last one ends. When the server ends the connection (GOAWAY,
/// Connection: close) and requests remain, it connects again; when connecting fails, it stops. The last connection
/// stays open until the scheduler is disposed, so a caller still printing answers has not closed it under them.
/// </summary>
/// <remarks>
/// The per-request work is the queue's and the sinks': load hands out its budget and counts; one-shot hands out URLs
/// and keeps each response for printing. The load fast paths (Http2LoadConnection, Http3LoadConnection) go below
/// this, straight to the protocol cores, because they keep no response at all.
/// </remarks>
public sealed class ExchangeScheduler(HxiClient client, IExchangeQueue queue, int streamsPerConnection) : IAsyncDisposable
{
    private const string NotSent = "the server ended the connection before the request could be sent on it (GOAWAY or close)";

    private readonly int _streamsPerConnection = streamsPerConnection >= 1
        ? streamsPerConnection
        : throw new InvalidOperationException("a scheduler needs one stream slot at least");

    private ScheduledConnection? _last;

    /// <summary>
    /// Held while connecting, when several schedulers share one client: one-shot mode connects to its origins one after
    /// another, as its pooled client did, so what -v and the wire view print of two handshakes never interleaves.
    /// </summary>
    public SemaphoreSlim? ConnectGate { get; init; }

    /// <summary>Carries the queue's requests until it is empty, <paramref name="stop"/> fires, or a connection cannot be made.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await TakeAsync(stop) is not { } first)
            {
                return;
            }

            await DisposeLastAsync();
            var connectStarted = Stopwatch.GetTimestamp();
            IHttpConnection connection;
            ResponseSummary? upgraded;
            try
            {
                (connection, upgraded) = await OpenAsync(first, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                queue.GiveBack(first);
                return;
            }
            catch (Exception ex) when (ex is HxiException or IOException or System.Net.Sockets.SocketException)
            {
                queue.ConnectFailed(first, ex);
                return;
            }

            var scheduled = new ScheduledConnection(connection, connectStarted);
            _last = scheduled;
            queue.ConnectionOpened(scheduled);
            if (upgraded is not null)
            {
                // The h2c Upgrade answered the first request itself, over HTTP/1.1, before the switch.
                scheduled.CountSent();
                first.Sink.Sending(stop);
                await first.Sink.CompletedAsync(upgraded, scheduled, connectStarted);
                await RunSlotsAsync(scheduled, null, stop);
            }
            else
            {
                await RunSlotsAsync(scheduled, first, stop);
            }
        }
    }

    private async Task<(IHttpConnection Connection, ResponseSummary? Upgraded)> OpenAsync(ScheduledExchange first, CancellationToken stop)
    {
        if (ConnectGate is null)
        {
            return await client.OpenAsync(first.Request, first.Sink.Handler, stop);
        }

        await ConnectGate.WaitAsync(stop);
        try
        {
            return await client.OpenAsync(first.Request, first.Sink.Handler, stop);
        }
        finally
        {
            ConnectGate.Release();
        }
    }

    /// <summary>
    /// Carries requests on a connection opened elsewhere (the load fast path's TLS connection when ALPN chose HTTP/1.1)
    /// until the queue is empty or the connection ends; the scheduler owns and closes it from then on.
    /// </summary>
    public async Task RunOnAsync(IHttpConnection connection, long connectStartedTicks, CancellationToken stop)
    {
        await DisposeLastAsync();
        var scheduled = new ScheduledConnection(connection, connectStartedTicks);
        _last = scheduled;
        queue.ConnectionOpened(scheduled);
        await RunSlotsAsync(scheduled, null, stop);
    }

    /// <summary>Stream slots on one connection (one on HTTP/1.1, which carries one request at a time).</summary>
    private Task RunSlotsAsync(ScheduledConnection connection, ScheduledExchange? first, CancellationToken stop)
    {
        var slots = connection.Connection.Protocol == "HTTP/1.1" ? 1 : _streamsPerConnection;
        if (slots == 1)
        {
            return SlotAsync(connection, first, stop);
        }

        var running = new Task[slots];
        for (var slot = 0; slot < slots; slot++)
        {
            running[slot] = SlotAsync(connection, slot == 0 ? first : null, stop);
        }

        return Task.WhenAll(running);
    }

    /// <summary>One stream slot: a request, its whole response, the next request; until the queue or the connection ends.</summary>
    private async Task SlotAsync(ScheduledConnection connection, ScheduledExchange? first, CancellationToken stop)
    {
        var exchange = first;
        while (true)
        {
            if (stop.IsCancellationRequested)
            {
                if (exchange is { } unsent)
                {
                    queue.GiveBack(unsent);
                }

                return;
            }

            if (exchange is null)
            {
                if (!connection.Connection.IsReusable || await TakeAsync(stop) is not { } taken)
                {
                    return;
                }

                // The connection may have ended while the queue made this slot wait (--rps): the request goes back.
                if (!connection.Connection.IsReusable)
                {
                    queue.GiveBack(taken);
                    return;
                }

                exchange = taken;
            }

            var (request, sink) = exchange.Value;
            var token = sink.Sending(stop);
            var started = Stopwatch.GetTimestamp();
            if (!connection.Connection.IsReusable)
            {
                // The connection ended before the request it was opened for could go (a GOAWAY right after SETTINGS):
                // a new stream now is one RFC 9113 6.8 forbids, and handing the request back would connect again and
                // again to a server that does the same; so it fails, and the next request gets a new connection.
                await sink.FailedAsync(new HxiException(FailureKind.Protocol, NotSent), stopped: false, started);
                return;
            }

            var reused = connection.CountSent();
            ResponseSummary summary;
            try
            {
                summary = await client.SendOnAsync(connection.Connection, reused, request, sink.Handler, token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HxiException or IOException or ObjectDisposedException)
            {
                var stopped = ex is OperationCanceledException && stop.IsCancellationRequested;
                await sink.FailedAsync(ex, stopped, started);
                if (stopped)
                {
                    return;
                }

                exchange = null;
                continue;
            }

            await sink.CompletedAsync(summary, connection, started);
            exchange = null;
        }
    }

    private async ValueTask<ScheduledExchange?> TakeAsync(CancellationToken stop)
    {
        try
        {
            return await queue.TakeAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
    }

    private async ValueTask DisposeLastAsync()
    {
        if (_last is { } last)
        {
            _last = null;
            await last.Connection.DisposeAsync();
        }
    }

    /// <summary>Closes the last connection (GOAWAY on HTTP/2, CONNECTION_CLOSE on QUIC).</summary>
    public ValueTask DisposeAsync() => DisposeLastAsync();
}
