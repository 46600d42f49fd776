using System.Threading.Channels;

namespace Hxi.Net.Client;

/// <summary>
/// Runs a connection's response handlers (printing, files) off its protocol thread, one at a time in the order the
/// responses' parts arrived: the thread that owns the core keeps answering PING, acknowledging packets and running
/// timers while a slow terminal or disk takes its time.
/// </summary>
/// <remarks>
/// The hand-off holds work items, not bytes with a limit of their own: what bounds it is flow control. A body's
/// credit (HTTP/2 WINDOW_UPDATE, QUIC MAX_STREAM_DATA) goes back to the peer only once its handler has consumed the
/// bytes, so a stream never has more than its receive window waiting here, and a slow consumer slows the sender.
/// </remarks>
public sealed class ResponseDelivery
{
    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });

    public ResponseDelivery() => Drained = Task.Run(ConsumeAsync);

    /// <summary>Completes once <see cref="Complete"/> was called and everything queued before it has run.</summary>
    public Task Drained { get; }

    /// <summary>Queues work for the delivery task; false once the delivery is complete.</summary>
    public bool Enqueue(Action work) => _work.Writer.TryWrite(work);

    /// <summary>No more work will come; what is queued still runs.</summary>
    public void Complete() => _work.Writer.TryComplete();

    private async Task ConsumeAsync()
    {
        await foreach (var work in _work.Reader.ReadAllAsync())
        {
            // Each item guards its own handler call (PendingResponse), so one failing handler never stops the others.
            work();
        }
    }
}
