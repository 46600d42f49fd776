using Hxi.Net.Client;

namespace Hxi.Net.Scheduling;

/// <summary>A connection a scheduler opened: when connecting began, and how many requests have gone on it.</summary>
public sealed class ScheduledConnection(IHttpConnection connection, long connectStartedTicks)
{
    private int _requestsSent;
    private int _answered;

    public IHttpConnection Connection => connection;

    /// <summary>When connecting began (Stopwatch ticks), for the time to the connection's first answer.</summary>
    public long ConnectStartedTicks => connectStartedTicks;

    /// <summary>Counts a request going out; true when an earlier one went on this connection before it (a reuse).</summary>
    internal bool CountSent() => Interlocked.Increment(ref _requestsSent) > 1;

    /// <summary>True for the first answer on this connection only, whichever stream it came on.</summary>
    public bool TryMarkFirstAnswer() => Interlocked.Exchange(ref _answered, 1) == 0;
}
