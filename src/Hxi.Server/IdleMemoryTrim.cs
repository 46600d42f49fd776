namespace Hxi.Server;

/// <summary>
/// Gives the memory of a burst back to the system once the server has gone quiet (issue 10 item 7: after a flood or a
/// crowd of clients, the process's memory returns near its baseline). The GC collects only when something allocates,
/// so a server left idle after a burst would keep its peak forever; this looks every few seconds and, when nothing has
/// allocated enough to start a collection since the last look and the heap holds well more than after the last trim,
/// runs one aggressive collection, which compacts and decommits what is free.
/// </summary>
/// <remarks>
/// A timer rather than a GC setting: the same executable is the client, whose one-shot runs must not pay for a
/// server's policy, and no setting makes the GC run without allocations.
/// </remarks>
internal sealed class IdleMemoryTrim : IDisposable
{
    /// <summary>Committed heap beyond what the last trim left before another trim is worth a full, blocking collection.</summary>
    private const long Slack = 16 * 1024 * 1024;

    private readonly Timer _timer;
    private int _lastCollections = -1;
    private long _committedAfterTrim;

    public IdleMemoryTrim(TimeSpan period) => _timer = new Timer(_ => Look(), null, period, period);

    private void Look()
    {
        var collections = GC.CollectionCount(0);
        var quiet = collections == _lastCollections;
        _lastCollections = collections;
        if (!quiet || GC.GetGCMemoryInfo().TotalCommittedBytes < _committedAfterTrim + Slack)
        {
            return;
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _committedAfterTrim = GC.GetGCMemoryInfo().TotalCommittedBytes;
        _lastCollections = GC.CollectionCount(0);
    }

    public void Dispose() => _timer.Dispose();
}
