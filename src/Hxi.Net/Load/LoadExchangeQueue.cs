using System.Collections.Concurrent;
using Hxi.Net.Scheduling;

namespace Hxi.Net.Load;

/// <summary>
/// One load client's view of the run for the exchange scheduler: requests come from the shared budget (-n, -D,
/// --rps), taken in turn from the URLs, each with a pooled counting sink; connections and connect failures are counted.
/// </summary>
internal sealed class LoadExchangeQueue(LoadOptions options, RequestBudget budget, LoadStatistics statistics, bool sampleCompression) : IExchangeQueue, IDisposable
{
    private readonly ConcurrentStack<CountingExchangeSink> _free = new();

    /// <summary>"HTTP/2", "HTTP/3", "HTTP/1.1" once connected.</summary>
    public string? Protocol { get; private set; }

    public async ValueTask<ScheduledExchange?> TakeAsync(CancellationToken ct)
    {
        var (taken, sequence) = await budget.TryTakeAsync(ct);
        if (!taken)
        {
            return null;
        }

        var sink = _free.TryPop(out var pooled) ? pooled : new CountingExchangeSink(statistics, sampleCompression, options.RequestTimeout, Return);
        return new ScheduledExchange(options.Requests[(int)(sequence % options.Requests.Count)], sink);
    }

    public void GiveBack(ScheduledExchange exchange)
    {
        budget.GiveBack();
        Return((CountingExchangeSink)exchange.Sink);
    }

    public void ConnectionOpened(ScheduledConnection connection)
    {
        var info = connection.Connection.Info;
        Protocol ??= connection.Connection.Protocol;
        statistics.ConnectionOpened(info.DnsTime + info.ConnectTime + info.TlsTime);
    }

    /// <summary>Counted once, and this client is done: its requests go to the others.</summary>
    public void ConnectFailed(ScheduledExchange first, Exception failure)
    {
        GiveBack(first);
        statistics.CountError(LoadErrorNames.Name(failure));
    }

    private void Return(CountingExchangeSink sink)
    {
        sink.Reset();
        _free.Push(sink);
    }

    /// <summary>Frees the sinks' timers; by the end of a run every sink is back in the pool.</summary>
    public void Dispose()
    {
        while (_free.TryPop(out var sink))
        {
            sink.Dispose();
        }
    }
}
