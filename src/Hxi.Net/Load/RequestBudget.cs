using System.Diagnostics;

namespace Hxi.Net.Load;

/// <summary>
/// Hands out the run's requests to every client's stream slots: a count (-n) or a deadline (-D), paced by
/// --rps when given, and stopped at once by <see cref="Stop"/> (Ctrl-C, the end of -D).
/// </summary>
internal sealed class RequestBudget(long? count, double? requestsPerSecond)
{
    private readonly long _intervalTicks = requestsPerSecond is { } rate ? Math.Max(1, (long)(Stopwatch.Frequency / rate)) : 0;
    private long _remaining = count ?? long.MaxValue;
    private long _nextStartTicks = Stopwatch.GetTimestamp();
    private long _sequence = -1;
    private volatile bool _stopped;

    public bool IsStopped => _stopped;

    /// <summary>Requests of -n not handed out (yet).</summary>
    public long Remaining => count is null ? 0 : Math.Max(0, Interlocked.Read(ref _remaining));

    public bool HasMore => !_stopped && Interlocked.Read(ref _remaining) > 0;

    public void Stop() => _stopped = true;

    /// <summary>Takes one request, waiting for its turn under --rps; false when the run has no more to send.</summary>
    /// <param name="sequence">The request's number in the run, which picks its URL.</param>
    public async ValueTask<(bool Taken, long Sequence)> TryTakeAsync(CancellationToken ct)
    {
        if (_stopped || Interlocked.Decrement(ref _remaining) < 0)
        {
            if (count is not null)
            {
                // Give back what was not taken, so Remaining stays the number of requests never sent.
                Interlocked.Increment(ref _remaining);
            }

            return (false, 0);
        }

        if (_intervalTicks > 0)
        {
            var startAt = Interlocked.Add(ref _nextStartTicks, _intervalTicks) - _intervalTicks;
            var wait = startAt - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), ct);
            }

            if (_stopped)
            {
                Interlocked.Increment(ref _remaining);
                return (false, 0);
            }
        }

        return (true, Interlocked.Increment(ref _sequence));
    }

    /// <summary>Takes one request without waiting: for the hot paths, which run without --rps.</summary>
    public bool TryTake(out long sequence)
    {
        if (_intervalTicks > 0)
        {
            throw new InvalidOperationException("a paced run (--rps) takes its requests with TryTakeAsync");
        }

        if (_stopped || Interlocked.Decrement(ref _remaining) < 0)
        {
            if (count is not null)
            {
                Interlocked.Increment(ref _remaining);
            }

            sequence = 0;
            return false;
        }

        sequence = Interlocked.Increment(ref _sequence);
        return true;
    }

    /// <summary>A request taken but never sent (its connection failed first): it goes back for another client.</summary>
    public void GiveBack() => Interlocked.Increment(ref _remaining);
}
