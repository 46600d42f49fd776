using System.Diagnostics;
using System.Globalization;
using Hxi.Cli.Output;
using Hxi.Net.Client;
using Hxi.Net.Scheduling;

namespace Hxi.Cli.Commands;

/// <summary>
/// <c>hxi URL1 URL2 ...</c>: every request at once over one connection per origin (concurrent streams on HTTP/2 and
/// HTTP/3, one after another on an HTTP/1.1 keep-alive connection), as nghttp does; the responses are printed in
/// URL order, as curl prints several URLs, and <c>--stat</c> adds nghttp -s's summary per stream on stderr.
/// The connections and streams are the <see cref="ExchangeScheduler"/>'s, the concurrency core of <c>hxi load</c>.
/// </summary>
public static class MultiUrlRunner
{
    public static async Task<int> RunAsync(
        RequestInvocation run, HxiRequest first, ClientOptions options, OutputOptions output, Stopwatch clock, TextWriter stdout, TextWriter stderr, Stream stdoutStream, CancellationToken ct)
    {
        if (Unsupported(run) is { } option)
        {
            throw new HxiException(FailureKind.Usage, $"{option} does not go with several URLs or --stat (one request per run)");
        }

        var requests = new List<HxiRequest> { first };
        foreach (var url in run.ExtraUrls)
        {
            requests.Add(await RequestBuilder.BuildAsync(run.Spec with { Url = url }, ct));
        }

        var connectedAt = TimeSpan.Zero;
        var previous = options.OnConnected;
        options = options with
        {
            OnConnected = info =>
            {
                previous?.Invoke(info);
                if (connectedAt == TimeSpan.Zero)
                {
                    connectedAt = clock.Elapsed;
                }
            },
        };

        await using var client = new HxiClient(options);
        var exchanges = requests.Select((request, index) => new PrintedExchange(index, request, output, clock)).ToArray();
        // One scheduler per origin, all of its URLs in flight at once on its one connection: the load engine's core.
        var queues = exchanges.GroupBy(e => $"{e.Request.Url.Scheme}://{e.Request.Url.IdnHost}:{e.Request.Url.Port}")
            .Select(origin => new UrlQueue([.. origin]))
            .ToArray();
        using var connectGate = new SemaphoreSlim(1, 1);
        var schedulers = queues.Select(queue => new ExchangeScheduler(client, queue, queue.Count) { ConnectGate = connectGate }).ToArray();
        // Stopped by --timeout or Ctrl-C, or here when printing fails, so no scheduler goes on (or connects again) after the run.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = Task.WhenAll(schedulers.Zip(queues).Select(pair => RunOriginAsync(pair.First, pair.Second, stop.Token)));
        try
        {

            // In URL order: each response is written as soon as it and every one before it are complete.
            var exit = 0;
            foreach (var exchange in exchanges)
            {
                if (await Task.WhenAny(exchange.Done, running) != exchange.Done && !exchange.Done.IsCompleted)
                {
                    await running;
                    throw new InvalidOperationException($"the scheduler ended without an outcome for {exchange.Request.Url}");
                }

                // Not under ct: after --timeout fires, the URLs that did answer are still printed and the run exits 5.
                exchange.Buffer.Position = 0;
                await exchange.Buffer.CopyToAsync(stdoutStream, CancellationToken.None);
                await stdoutStream.FlushAsync(CancellationToken.None);
                if (exchange.Failure is { } failure)
                {
                    stderr.WriteLine($"hxi: error: {exchange.Request.Url}: {failure.Message}");
                    exit = exit == 0 ? (int)failure.Kind : exit;
                }
                else if (run.Fail && exchange.Summary!.Head.StatusCode >= 400)
                {
                    stderr.WriteLine($"hxi: error: {exchange.Request.Url}: the server answered {ResponsePrinter.StatusLine(exchange.Summary.Head)} (--fail)");
                    exit = exit == 0 ? RequestRunner.HttpErrorExitCode : exit;
                }
            }

            await running;
            if (run.Stat)
            {
                WriteStat(stderr, exchanges, client.ConnectionsOpened, connectedAt);
            }

            return exit;
        }
        finally
        {
            if (!running.IsCompleted)
            {
                await stop.CancelAsync();
                await running.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }

            // The connections close after everything is printed, as the pooled client closed them.
            foreach (var scheduler in schedulers)
            {
                await scheduler.DisposeAsync();
            }

            foreach (var exchange in exchanges)
            {
                await exchange.DisposeAsync();
            }
        }
    }

    /// <summary>Runs one origin's scheduler; a URL it never sent (the run stopped) fails as a timeout, as it did alone.</summary>
    private static async Task RunOriginAsync(ExchangeScheduler scheduler, UrlQueue queue, CancellationToken ct)
    {
        try
        {
            await scheduler.RunAsync(ct);
        }
        finally
        {
            queue.FailWaiting(PrintedExchange.TimedOut());
        }
    }

    private static string? Unsupported(RequestInvocation run) =>
        run.OutputFile is not null ? "-o"
        : run.Follow ? "-L"
        : run.WriteOut is not null ? "-w"
        : run.HarFile is not null ? "--har"
        : run.CookieJarFile is not null ? "-c"
        : run.Timing ? "--timing (--stat shows each request's times)"
        : null;

    /// <summary>nghttp -s's table: per request, the stream, status, body size, and when it started and ended after the connection was up.</summary>
    private static void WriteStat(TextWriter stderr, IReadOnlyList<PrintedExchange> exchanges, int connections, TimeSpan connectedAt)
    {
        var protocol = exchanges.Select(e => e.Summary?.Head.Protocol).FirstOrDefault(p => p is not null) ?? "no response";
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stream summary: {exchanges.Count} {(exchanges.Count == 1 ? "request" : "requests")} over {connections} {(connections == 1 ? "connection" : "connections")} ({protocol}); times from the connection being up"));
        stderr.WriteLine("  stream  status        size     start       end  duration  url");
        foreach (var e in exchanges)
        {
            var stream = e.Summary?.Head.StreamId is { } id ? id.ToString(CultureInfo.InvariantCulture) : "-";
            var status = e.Summary is { } s ? s.Head.StatusCode.ToString(CultureInfo.InvariantCulture) : "error";
            var size = e.Summary?.BodyBytes ?? 0;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {stream,6}  {status,6}  {size,10}  {Offset(e.StartedAt - connectedAt),8}  {Offset(e.EndedAt - connectedAt),8}  {LoadReportText.Ms((e.EndedAt - e.StartedAt).TotalMilliseconds),8}  {e.Request.Url}"));
        }
    }

    private static string Offset(TimeSpan t) => (t < TimeSpan.Zero ? "-" : "+") + LoadReportText.Ms(Math.Abs(t.TotalMilliseconds));
}
