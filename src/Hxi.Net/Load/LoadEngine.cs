using System.Diagnostics;

namespace Hxi.Net.Load;

/// <summary>
/// Runs <c>hxi load</c>: -c clients, each one connection with up to -m requests in flight, until -n requests
/// have ended or -D has passed, then reports. Ctrl-C (the token) stops it early and still reports.
/// </summary>
public sealed class LoadEngine
{
    private readonly LoadOptions _options;
    private readonly LoadStatistics _statistics = new();
    private readonly RequestBudget _budget;
    private readonly Stopwatch _clock = new();
    private long _measureStartTicks;

    public LoadEngine(LoadOptions options)
    {
        if (options.Requests.Count == 0 || options.Clients < 1 || options.StreamsPerClient < 1 || options.Threads is < 1)
        {
            throw new InvalidOperationException("a load run needs a request, a client, a stream slot and a thread at least");
        }

        if ((options.RequestCount is null) == (options.Duration is null))
        {
            throw new InvalidOperationException("a load run is counted (-n) or timed (-D), not both");
        }

        _options = options;
        _budget = new RequestBudget(options.RequestCount, options.RequestsPerSecond);
    }

    /// <summary>Requests ended so far (measured ones), for the live progress line.</summary>
    public long Done => _statistics.Done;

    public long Errored => _statistics.Errored;

    /// <summary>Time measured so far (after the warm-up).</summary>
    public TimeSpan Elapsed => _clock.ElapsedTicks > 0 ? TimeSpan.FromTicks((_clock.ElapsedTicks - Volatile.Read(ref _measureStartTicks)) * TimeSpan.TicksPerSecond / Stopwatch.Frequency) : TimeSpan.Zero;

    /// <summary>True while the warm-up lasts.</summary>
    public bool WarmingUp => !_statistics.Counting;

    public async Task<LoadReport> RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var registration = stop.Token.Register(_budget.Stop);
        var threads = _options.Threads is { } count ? Math.Min(count, _options.Clients) : 0;
        var schedulers = Enumerable.Range(0, threads).Select(i => new DedicatedThreadScheduler($"hxi load {i}")).ToArray();
        var prepared = _options.Requests.Select(Prepare).ToArray();
        var clients = Enumerable.Range(0, _options.Clients)
            .Select(i => new LoadClient(i, _options, _budget, _statistics, SamplesCompression(i), prepared))
            .ToArray();
        _clock.Start();
        if (_options.WarmUp > TimeSpan.Zero)
        {
            _statistics.Counting = false;
            _ = EndWarmUpAsync(stop);
        }
        else if (_options.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        try
        {
            var running = clients.Select(client => threads == 0
                ? Task.Run(() => client.RunAsync(stop.Token), CancellationToken.None)
                : Task.Factory.StartNew(() => client.RunAsync(stop.Token), CancellationToken.None, TaskCreationOptions.None, schedulers[client.Index % threads]).Unwrap());
            await Task.WhenAll(running);
        }
        finally
        {
            foreach (var scheduler in schedulers)
            {
                scheduler.Dispose();
            }
        }

        _clock.Stop();
        var elapsed = Elapsed;
        var protocol = clients.Select(c => c.Protocol).FirstOrDefault(p => p is not null) ?? "none";
        return _statistics.Report(elapsed, protocol, _options, threads, _budget.Remaining, interrupted: ct.IsCancellationRequested);
    }

    /// <summary>Maps a request once for the hot path: its HTTP/2 fields and its body, read into memory.</summary>
    private static PreparedRequest Prepare(Client.HxiRequest request)
    {
        var (fields, _) = Http2.Http2RequestMapper.Map(request, request.Url.Scheme);
        byte[]? body = null;
        if (request.Body is { } source)
        {
            using var stream = source.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            body = copy.ToArray();
        }

        return new PreparedRequest(fields, body);
    }

    /// <summary>
    /// HTTP/3 watches compression on its first connection only: a wire tap turns on QUIC and QPACK tracing, which
    /// costs every connection that has it. HTTP/2 records HPACK blocks whether watched or not.
    /// </summary>
    private bool SamplesCompression(int client) =>
        client == 0 || _options.Client.Protocol is not (Client.ProtocolMode.Http3 or Client.ProtocolMode.Http3Only);

    private async Task EndWarmUpAsync(CancellationTokenSource stop)
    {
        try
        {
            await Task.Delay(_options.WarmUp, stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Volatile.Write(ref _measureStartTicks, _clock.ElapsedTicks);
        _statistics.Counting = true;
        if (_options.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }
    }
}
