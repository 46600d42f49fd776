using System.Net;

namespace Hxi.Server.Tests;

/// <summary>
/// A request body sent in two flushed parts, the second held back until the test says so; the
/// flush matters because HttpClient otherwise buffers HTTP/2 request DATA until the content ends.
/// </summary>
internal sealed class TwoPartContent(byte[] first, byte[] second) : HttpContent
{
    private readonly TaskCompletionSource _secondPartAllowed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void SendSecondPart() => _secondPartAllowed.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(first);
        await stream.FlushAsync();
        await _secondPartAllowed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stream.WriteAsync(second);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
