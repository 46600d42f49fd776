using System.Diagnostics;
using Hxi.Cli.Output;
using Hxi.Net.Client;
using Hxi.Net.Scheduling;

namespace Hxi.Cli.Commands;

/// <summary>
/// One URL of a one-shot run with several URLs, as the exchange scheduler carries it: its response is printed into a
/// buffer as it arrives (head and body in the order the printer writes them), and its outcome and times are kept
/// until the runner prints it in URL order.
/// </summary>
internal sealed class PrintedExchange : ExchangeSink, IAsyncDisposable
{
    private readonly Stopwatch _clock;
    private readonly StreamWriter _text;
    private readonly ResponsePrinter _printer;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PrintedExchange(int index, HxiRequest request, OutputOptions output, Stopwatch clock)
    {
        Index = index;
        Request = request;
        _clock = clock;
        _text = new StreamWriter(Buffer, leaveOpen: true) { AutoFlush = true };
        _printer = new ResponsePrinter(output, _text, Buffer);
    }

    /// <summary>The URL's place on the command line.</summary>
    public int Index { get; }

    public HxiRequest Request { get; }

    public MemoryStream Buffer { get; } = new();

    public ResponseSummary? Summary { get; private set; }

    public HxiException? Failure { get; private set; }

    /// <summary>When the request went and when its answer ended (or it failed), on the run's clock.</summary>
    public TimeSpan StartedAt { get; private set; }

    public TimeSpan EndedAt { get; private set; }

    /// <summary>Completes when the exchange has an outcome: a whole response or a failure.</summary>
    public Task Done => _done.Task;

    public override IResponseHandler Handler => _printer;

    public override async ValueTask CompletedAsync(ResponseSummary summary, ScheduledConnection connection, long startedTicks)
    {
        Summary = summary;
        try
        {
            await _printer.CompleteAsync();
        }
        catch (HxiException ex)
        {
            // The body could not be finished (a bad gzip stream, say): printed as this URL's failure.
            Failure = ex;
        }

        Finish(startedTicks);
    }

    public override ValueTask FailedAsync(Exception failure, bool stopped, long startedTicks)
    {
        Failure = failure switch
        {
            HxiException known => known,
            OperationCanceledException => TimedOut(),
            // The driver lost its socket under the request: the server closed early.
            _ => new HxiException(FailureKind.Protocol, $"the connection was lost: {failure.Message}", failure),
        };
        Finish(startedTicks);
        return ValueTask.CompletedTask;
    }

    /// <summary>Never sent: no connection could be made to its origin, or the run stopped first.</summary>
    public void Fail(HxiException failure)
    {
        Failure = failure;
        Finish(Stopwatch.GetTimestamp());
    }

    /// <summary>The one-shot failure of a request cut short by --timeout or Ctrl-C.</summary>
    public static HxiException TimedOut() => new(FailureKind.Timeout, "the request timed out or was interrupted");

    private void Finish(long startedTicks)
    {
        EndedAt = _clock.Elapsed;
        StartedAt = EndedAt - Stopwatch.GetElapsedTime(startedTicks);
        _text.Flush();
        _done.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _printer.DisposeAsync();
        await _text.DisposeAsync();
    }
}
