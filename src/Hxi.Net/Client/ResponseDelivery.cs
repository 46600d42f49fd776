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
    private readonly Channel<DeliveryItem> _work = Channel.CreateUnbounded<DeliveryItem>(new UnboundedChannelOptions { SingleReader = true });

    public ResponseDelivery() => Drained = Task.Run(ConsumeAsync);

    /// <summary>Completes once <see cref="Complete"/> was called and everything queued before it has run.</summary>
    public Task Drained { get; }

    /// <summary>Queues work for the delivery task; false once the delivery is complete.</summary>
    public bool Enqueue(Action work) => _work.Writer.TryWrite(new DeliveryItem(work, null, null, default));

    /// <summary>Arrays for copies of body bytes, reused from one chunk to the next.</summary>
    internal BodyChunkPool Chunks { get; } = new();

    /// <summary>
    /// Queues body bytes for <paramref name="consumer"/>: a copy in <paramref name="pooled"/> (from <see cref="Chunks"/>,
    /// returned after it ran), or bytes the protocol thread gave away. No closure per chunk: a download is made of
    /// thousands of them.
    /// </summary>
    internal bool EnqueueBody(IQueuedBodyConsumer consumer, byte[]? pooled, ReadOnlyMemory<byte> data) =>
        _work.Writer.TryWrite(new DeliveryItem(null, consumer, pooled, data));

    /// <summary>No more work will come; what is queued still runs.</summary>
    public void Complete() => _work.Writer.TryComplete();

    private async Task ConsumeAsync()
    {
        await foreach (var item in _work.Reader.ReadAllAsync())
        {
            // Each item guards its own handler call (PendingResponse), so one failing handler never stops the others.
            if (item.Work is { } work)
            {
                work();
                continue;
            }

            item.Consumer!.Consume(item.Data.Span);
            if (item.Pooled is { } pooled)
            {
                Chunks.Return(pooled);
            }
        }
    }

    /// <summary>Either work to run, or body bytes for a consumer.</summary>
    private readonly record struct DeliveryItem(Action? Work, IQueuedBodyConsumer? Consumer, byte[]? Pooled, ReadOnlyMemory<byte> Data);
}

/// <summary>Takes body bytes on the delivery task (a queued response handler).</summary>
internal interface IQueuedBodyConsumer
{
    void Consume(ReadOnlySpan<byte> data);
}
