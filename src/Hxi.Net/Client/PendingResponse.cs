using System.Diagnostics;
using System.Runtime.InteropServices;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Client;

/// <summary>
/// A request waiting for its response on a multiplexed connection (HTTP/2 or HTTP/3), fed by the
/// connection's protocol thread; the sender awaits <see cref="Delivered"/>.
/// </summary>
public sealed class PendingResponse
{
    private readonly Stopwatch _clock;
    private readonly ResponseDelivery? _delivery;
    private readonly TaskCompletionSource<ResponseHead> _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _handlerFailure;
    private long _queuedBodyBytes;

    public PendingResponse(IResponseHandler handler, Stopwatch clock)
        : this(handler, clock, delivery: null)
    {
    }

    /// <summary>
    /// With a <paramref name="delivery"/>, the handler runs on its task rather than on the protocol thread, and
    /// <see cref="Delivered"/> waits for every part queued before the outcome.
    /// </summary>
    public PendingResponse(IResponseHandler handler, Stopwatch clock, ResponseDelivery? delivery)
    {
        _clock = clock;
        _delivery = delivery;
        var guarded = new GuardedResponseHandler(handler, this);
        if (delivery is null)
        {
            Handler = guarded;
            Delivered = Completion.Task;
            return;
        }

        Handler = new QueuedResponseHandler(guarded, this, delivery);
        Delivered = _delivered.Task;

        // The outcome follows the parts queued before it, so a request ends only once its handler has seen them all.
        Completion.Task.ContinueWith(_ =>
        {
            if (!delivery.Enqueue(Deliver))
            {
                Deliver();
            }
        }, TaskScheduler.Default);
    }

    /// <summary>
    /// The user's handler behind a guard, and a queue when the connection delivers off its protocol thread: what the
    /// handler throws (a full disk, a closed pipe) fails this request, never the thread that called it; later calls are skipped.
    /// </summary>
    public IResponseHandler Handler { get; }

    /// <summary>Set once the handler threw: the driver abandons the stream (it cannot be shown any more).</summary>
    public bool HandlerFailed { get; private set; }

    public ResponseHead? Head { get; set; }

    public long BodyBytes { get; set; }

    public TimeSpan TimeToFirstByte { get; private set; }

    /// <summary>
    /// The server asked us to stop sending the request body (HTTP/3 STOP_SENDING, often with H3_NO_ERROR after a
    /// complete response, RFC 9114 Section 4.1.2): the upload ends, the response still counts.
    /// </summary>
    public volatile bool UploadStopped;

    /// <summary>The driver stopped reading the stream because <see cref="QueuedBodyBytes"/> is high; it resumes as they drain.</summary>
    public volatile bool ReadPaused;

    /// <summary>The protocol's outcome: set by the protocol thread (or a cancellation), before the handler may have seen every part.</summary>
    public TaskCompletionSource<ResponseHead> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The outcome once the handler has seen everything that came before it; what a sender awaits.</summary>
    public Task<ResponseHead> Delivered { get; }

    /// <summary>The handler runs on a <see cref="ResponseDelivery"/>, which reports consumed body bytes through <see cref="BodyConsumed"/>.</summary>
    public bool IsQueued => _delivery is not null;

    /// <summary>Body bytes handed over and not yet consumed by the handler.</summary>
    public long QueuedBodyBytes => Interlocked.Read(ref _queuedBodyBytes);

    /// <summary>Called on the delivery task after the handler consumed this many body bytes: the moment to give flow-control credit back.</summary>
    public Action<int>? BodyConsumed { get; set; }

    /// <summary>Called on the delivery task when the handler failed: the stream is to be abandoned.</summary>
    public Action? Abandoned { get; set; }

    public void MarkFirstByte()
    {
        if (TimeToFirstByte == TimeSpan.Zero)
        {
            TimeToFirstByte = _clock.Elapsed;
        }
    }

    private void OnHandlerFailed(Exception ex)
    {
        HandlerFailed = true;
        _handlerFailure = LocalFailures.Describe(ex);
        Completion.TrySetException(_handlerFailure);
        if (_delivery is not null)
        {
            Abandoned?.Invoke();
        }
    }

    /// <summary>On the delivery task, after every part queued before the outcome: a handler's failure wins over the protocol's success.</summary>
    private void Deliver()
    {
        var outcome = Completion.Task;
        if (_handlerFailure is { } failure)
        {
            _delivered.TrySetException(failure);
        }
        else if (outcome.IsCompletedSuccessfully)
        {
            _delivered.TrySetResult(outcome.Result);
        }
        else if (outcome.IsCanceled)
        {
            _delivered.TrySetCanceled();
        }
        else
        {
            _delivered.TrySetException(outcome.Exception!.InnerExceptions);
        }
    }

    /// <summary>
    /// Body bytes that belong to their event alone (<see cref="IResponseStreams.EventDataIsOwned"/>): a queued handler
    /// keeps them as they are instead of copying them for the delivery task. Protocol thread.
    /// </summary>
    public void DeliverOwnedBody(ReadOnlyMemory<byte> data)
    {
        if (Handler is QueuedResponseHandler queued)
        {
            queued.OnOwnedBodyData(data);
        }
        else
        {
            Handler.OnBodyData(data.Span);
        }
    }

    private sealed class GuardedResponseHandler(IResponseHandler inner, PendingResponse owner) : IResponseHandler
    {
        public void OnInterimResponse(ResponseHead head) => Run(() => inner.OnInterimResponse(head));

        public void OnResponseHead(ResponseHead head) => Run(() => inner.OnResponseHead(head));

        public void OnBodyData(ReadOnlySpan<byte> data)
        {
            if (owner.HandlerFailed)
            {
                return;
            }

            try
            {
                inner.OnBodyData(data);
            }
            catch (Exception ex)
            {
                owner.OnHandlerFailed(ex);
            }
        }

        public void OnTrailers(IReadOnlyList<HeaderField> trailers) => Run(() => inner.OnTrailers(trailers));

        private void Run(Action call)
        {
            if (owner.HandlerFailed)
            {
                return;
            }

            try
            {
                call();
            }
            catch (Exception ex)
            {
                owner.OnHandlerFailed(ex);
            }
        }
    }

    /// <summary>Hands each part to the delivery task, in order; body bytes are copied, as the protocol thread reuses its buffers.</summary>
    private sealed class QueuedResponseHandler(IResponseHandler guarded, PendingResponse owner, ResponseDelivery delivery)
        : IResponseHandler, IQueuedBodyConsumer
    {
        public void OnInterimResponse(ResponseHead head) => delivery.Enqueue(() => guarded.OnInterimResponse(head));

        public void OnResponseHead(ResponseHead head) => delivery.Enqueue(() => guarded.OnResponseHead(head));

        public void OnBodyData(ReadOnlySpan<byte> data)
        {
            // A pooled copy: the handler sees it as a span only for the call, so it goes back to the pool right after.
            var copy = delivery.Chunks.Rent(data.Length);
            data.CopyTo(copy);
            Interlocked.Add(ref owner._queuedBodyBytes, data.Length);
            if (!delivery.EnqueueBody(this, copy, copy.AsMemory(0, data.Length)))
            {
                delivery.Chunks.Return(copy);
            }
        }

        public void OnOwnedBodyData(ReadOnlyMemory<byte> data)
        {
            // Owned bytes are this event's alone (an array from the pool, or one of its own): the array can go to the
            // pool once the handler is done with it.
            var array = MemoryMarshal.TryGetArray(data, out var segment) ? segment.Array : null;
            Interlocked.Add(ref owner._queuedBodyBytes, data.Length);
            delivery.EnqueueBody(this, array, data);
        }

        public void OnTrailers(IReadOnlyList<HeaderField> trailers) => delivery.Enqueue(() => guarded.OnTrailers(trailers));

        /// <summary>On the delivery task: the handler takes the bytes, then their flow-control credit can go back.</summary>
        public void Consume(ReadOnlySpan<byte> data)
        {
            guarded.OnBodyData(data);
            Interlocked.Add(ref owner._queuedBodyBytes, -data.Length);
            owner.BodyConsumed?.Invoke(data.Length);
        }
    }
}
