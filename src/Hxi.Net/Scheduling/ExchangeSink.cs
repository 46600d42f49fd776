using Hxi.Net.Client;

namespace Hxi.Net.Scheduling;

/// <summary>
/// Where one exchange's response goes as it arrives (<see cref="Handler"/>) and what is done with its outcome:
/// <c>hxi load</c> counts it and keeps nothing, one-shot mode prints it into a buffer for printing in URL order.
/// </summary>
public abstract class ExchangeSink
{
    /// <summary>Takes the response head, body and trailers as they arrive, on the connection's reading thread.</summary>
    public abstract IResponseHandler Handler { get; }

    /// <summary>
    /// The request is about to go: returns the token it is sent under (a per-request timeout, or <paramref name="stop"/>).
    /// For the first request of an h2c Upgrade it comes once the answer is in, as connecting sent it.
    /// </summary>
    public virtual CancellationToken Sending(CancellationToken stop) => stop;

    /// <summary>The whole response arrived.</summary>
    /// <param name="startedTicks">When the request went (Stopwatch ticks); when the connection began for an h2c Upgrade's answer.</param>
    public abstract ValueTask CompletedAsync(ResponseSummary summary, ScheduledConnection connection, long startedTicks);

    /// <summary>
    /// The exchange failed: an <see cref="HxiException"/> (reset, protocol error), an IOException or
    /// ObjectDisposedException (the connection went), or an OperationCanceledException: a per-request timeout, or
    /// the run stopped when <paramref name="stopped"/> is true.
    /// </summary>
    public abstract ValueTask FailedAsync(Exception failure, bool stopped, long startedTicks);
}
