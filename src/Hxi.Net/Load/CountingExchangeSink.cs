using System.Diagnostics;
using Hxi.Net.Client;
using Hxi.Net.Scheduling;

namespace Hxi.Net.Load;

/// <summary>
/// A load run's sink for one request on the scheduler's general path: counts the response into the run's statistics
/// and keeps nothing. Pooled by <see cref="LoadExchangeQueue"/>, so a run holds one per request in flight.
/// </summary>
internal sealed class CountingExchangeSink(LoadStatistics statistics, bool sampleCompression, TimeSpan? requestTimeout, Action<CountingExchangeSink> release) : ExchangeSink, IDisposable
{
    private readonly CountingResponseHandler _handler = new(statistics, sampleCompression);
    private CancellationTokenSource? _timeout;

    public override IResponseHandler Handler => _handler;

    public override CancellationToken Sending(CancellationToken stop)
    {
        // The handler is not reset here: an h2c Upgrade's answer was counted into it before this is called.
        statistics.RequestStarted();
        if (requestTimeout is not { } limit)
        {
            return stop;
        }

        if (_timeout is null || !_timeout.TryReset())
        {
            _timeout?.Dispose();
            _timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        }

        _timeout.CancelAfter(limit);
        return _timeout.Token;
    }

    public override ValueTask CompletedAsync(ResponseSummary summary, ScheduledConnection connection, long startedTicks)
    {
        var ended = Stopwatch.GetTimestamp();
        var firstByteTicks = (long)(summary.TimeToFirstByte.TotalSeconds * Stopwatch.Frequency);
        if (connection.TryMarkFirstAnswer())
        {
            statistics.ConnectionFirstByte(startedTicks + firstByteTicks - connection.ConnectStartedTicks);
        }

        statistics.ResponseCompleted(summary.Head.StatusCode, summary.BodyBytes, _handler.HeaderBytes, ended - startedTicks, firstByteTicks);
        release(this);
        return ValueTask.CompletedTask;
    }

    public override ValueTask FailedAsync(Exception failure, bool stopped, long startedTicks)
    {
        // Stopped (Ctrl-C, the end of -D): a request cut short is neither an answer nor an error.
        if (!stopped)
        {
            statistics.RequestFailed(failure is OperationCanceledException ? LoadErrorNames.Timeout : LoadErrorNames.Name(failure));
        }

        release(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Back to the pool: the counts of the last response are gone.</summary>
    public void Reset() => _handler.Reset();

    public void Dispose() => _timeout?.Dispose();
}
