using System.Diagnostics;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Client;

/// <summary>
/// A request waiting for its response on a multiplexed connection (HTTP/2 or HTTP/3), fed by the
/// connection's reading thread; the sender awaits <see cref="Completion"/>.
/// </summary>
public sealed class PendingResponse
{
    private readonly Stopwatch _clock;

    public PendingResponse(IResponseHandler handler, Stopwatch clock)
    {
        _clock = clock;
        Handler = new GuardedResponseHandler(handler, this);
    }

    /// <summary>
    /// The user's handler behind a guard: what it throws (a full disk, a closed pipe) fails this request, never
    /// the protocol thread that called it; later calls are skipped.
    /// </summary>
    public IResponseHandler Handler { get; }

    /// <summary>Set once the handler threw: the driver abandons the stream (it cannot be shown any more).</summary>
    public bool HandlerFailed { get; private set; }

    public ResponseHead? Head { get; set; }

    public long BodyBytes { get; set; }

    public TimeSpan TimeToFirstByte { get; private set; }

    public bool Reused { get; set; }

    /// <summary>
    /// The server asked us to stop sending the request body (HTTP/3 STOP_SENDING, often with H3_NO_ERROR after a
    /// complete response, RFC 9114 Section 4.1.2): the upload ends, the response still counts.
    /// </summary>
    public volatile bool UploadStopped;

    public TaskCompletionSource<ResponseHead> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
        Completion.TrySetException(LocalFailures.Describe(ex));
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
}
