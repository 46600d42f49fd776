using System.Diagnostics;

namespace Hxi.Net.Client;

/// <summary>
/// A request waiting for its response on a multiplexed connection (HTTP/2 or HTTP/3), fed by the
/// connection's reading thread; the sender awaits <see cref="Completion"/>.
/// </summary>
public sealed class PendingResponse(IResponseHandler handler, Stopwatch clock)
{
    public IResponseHandler Handler { get; } = handler;

    public ResponseHead? Head { get; set; }

    public long BodyBytes { get; set; }

    public TimeSpan TimeToFirstByte { get; private set; }

    public bool Reused { get; set; }

    public TaskCompletionSource<ResponseHead> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void MarkFirstByte()
    {
        if (TimeToFirstByte == TimeSpan.Zero)
        {
            TimeToFirstByte = clock.Elapsed;
        }
    }
}
