using System.Diagnostics;
using System.Globalization;
using Hxi.Cli.Output;
using Hxi.Net.Client;

namespace Hxi.Cli.Commands;

/// <summary>
/// <c>hxi URL1 URL2 ...</c>: every request at once over one connection per origin (concurrent streams on HTTP/2 and
/// HTTP/3, one after another on an HTTP/1.1 keep-alive connection), as nghttp does; the responses are printed in
/// URL order, as curl prints several URLs, and <c>--stat</c> adds nghttp -s's summary per stream on stderr.
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
        var exchanges = requests.Select(request => new Exchange(request, output, clock)).ToArray();
        var running = exchanges.Select(exchange => exchange.RunAsync(client, ct)).ToArray();

        // In URL order: each response is written as soon as it and every one before it are complete.
        var exit = 0;
        foreach (var (exchange, task) in exchanges.Zip(running))
        {
            await task;
            exchange.Buffer.Position = 0;
            await exchange.Buffer.CopyToAsync(stdoutStream, ct);
            await stdoutStream.FlushAsync(ct);
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

        if (run.Stat)
        {
            WriteStat(stderr, exchanges, client.ConnectionsOpened, connectedAt);
        }

        return exit;
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
    private static void WriteStat(TextWriter stderr, IReadOnlyList<Exchange> exchanges, int connections, TimeSpan connectedAt)
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

    /// <summary>One URL of the run: its request, its response printed into a buffer, and its times.</summary>
    private sealed class Exchange(HxiRequest request, OutputOptions output, Stopwatch clock)
    {
        public HxiRequest Request => request;

        public MemoryStream Buffer { get; } = new();

        public ResponseSummary? Summary { get; private set; }

        public HxiException? Failure { get; private set; }

        public TimeSpan StartedAt { get; private set; }

        public TimeSpan EndedAt { get; private set; }

        public async Task RunAsync(HxiClient client, CancellationToken ct)
        {
            // The head and the body go to one buffer, in the order the printer writes them.
            var text = new StreamWriter(Buffer, leaveOpen: true) { AutoFlush = true };
            await using var printer = new ResponsePrinter(output, text, Buffer);
            StartedAt = clock.Elapsed;
            try
            {
                Summary = await client.SendAsync(request, printer, ct);
                await printer.CompleteAsync();
            }
            catch (HxiException ex)
            {
                Failure = ex;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Failure = new HxiException(FailureKind.Timeout, "the request timed out or was interrupted");
            }
            finally
            {
                EndedAt = clock.Elapsed;
                await text.FlushAsync(CancellationToken.None);
            }
        }
    }
}
