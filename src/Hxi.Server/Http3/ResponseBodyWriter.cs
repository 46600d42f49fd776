using System.IO.Pipelines;

namespace Hxi.Server.Http3;

/// <summary>
/// The response body as the routes see it (Response.BodyWriter, and Response.Body over it): a pipe whose reader is the
/// listener thread, pulling as QUIC flow control allows. The first flush starts the response, so the head always
/// goes out before the body, with the headers as they were at that moment.
/// </summary>
internal sealed class ResponseBodyWriter(PipeWriter inner, Func<CancellationToken, Task> ensureStarted) : PipeWriter
{
    public override void Advance(int bytes) => inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        await ensureStarted(cancellationToken).ConfigureAwait(false);
        return await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        await ensureStarted(cancellationToken).ConfigureAwait(false);
        return await inner.WriteAsync(source, cancellationToken).ConfigureAwait(false);
    }
}
