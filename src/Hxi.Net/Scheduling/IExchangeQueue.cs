using Hxi.Net.Client;

namespace Hxi.Net.Scheduling;

/// <summary>
/// Where an <see cref="ExchangeScheduler"/> takes its requests from and reports its connections to: <c>hxi load</c>
/// hands out its -n or -D budget, one-shot mode its URLs in command-line order.
/// </summary>
public interface IExchangeQueue
{
    /// <summary>The next request to send, or null when there are no more (the stream slot that asked ends).</summary>
    ValueTask<ScheduledExchange?> TakeAsync(CancellationToken ct);

    /// <summary>A request taken but never sent (its connection ended first or the run stopped): it goes on the next connection.</summary>
    void GiveBack(ScheduledExchange exchange);

    /// <summary>A connection is up and about to carry requests (after the h2c Upgrade, when there was one).</summary>
    void ConnectionOpened(ScheduledConnection connection);

    /// <summary>No connection could be made for <paramref name="first"/>'s request; the scheduler stops after this.</summary>
    void ConnectFailed(ScheduledExchange first, Exception failure);
}

/// <summary>One request the scheduler carries, and the sink its response and its outcome go to.</summary>
public readonly record struct ScheduledExchange(HxiRequest Request, ExchangeSink Sink);
