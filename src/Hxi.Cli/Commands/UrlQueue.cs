using Hxi.Net.Client;
using Hxi.Net.Scheduling;

namespace Hxi.Cli.Commands;

/// <summary>One origin's URLs of a one-shot run, handed to its exchange scheduler in command-line order.</summary>
internal sealed class UrlQueue(IReadOnlyList<PrintedExchange> exchanges) : IExchangeQueue
{
    private readonly Lock _lock = new();
    private readonly List<PrintedExchange> _waiting = [.. exchanges.OrderBy(e => e.Index)];

    /// <summary>How many URLs go to this origin: all of them may be in flight at once.</summary>
    public int Count => exchanges.Count;

    public ValueTask<ScheduledExchange?> TakeAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            if (_waiting.Count == 0)
            {
                return ValueTask.FromResult<ScheduledExchange?>(null);
            }

            var next = _waiting[0];
            _waiting.RemoveAt(0);
            return ValueTask.FromResult<ScheduledExchange?>(new ScheduledExchange(next.Request, next));
        }
    }

    public void GiveBack(ScheduledExchange exchange)
    {
        var printed = (PrintedExchange)exchange.Sink;
        lock (_lock)
        {
            var at = _waiting.FindIndex(e => e.Index > printed.Index);
            _waiting.Insert(at < 0 ? _waiting.Count : at, printed);
        }
    }

    public void ConnectionOpened(ScheduledConnection connection)
    {
        // Nothing to count: the client's OnConnected already told -v, the wire view and --stat.
    }

    /// <summary>No connection to this origin: every URL of it fails with the reason, as each would have on its own.</summary>
    public void ConnectFailed(ScheduledExchange first, Exception failure)
    {
        GiveBack(first);
        FailWaiting(failure as HxiException ?? new HxiException(FailureKind.Connect, $"could not connect: {failure.Message}", failure));
    }

    /// <summary>Every URL not sent yet fails with <paramref name="failure"/>.</summary>
    public void FailWaiting(HxiException failure)
    {
        PrintedExchange[] unsent;
        lock (_lock)
        {
            unsent = [.. _waiting];
            _waiting.Clear();
        }

        foreach (var exchange in unsent)
        {
            exchange.Fail(failure);
        }
    }
}
