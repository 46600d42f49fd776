using System.Net;

namespace Hxi.Server.Http3;

/// <summary>
/// A request body for the h2c backend hop that lets HttpClient hand back the response while the body is still
/// going out. HttpClient waits for the whole body of a ByteArrayContent before returning the response, so a
/// route that answers as it reads (/echo) deadlocks once both directions' flow-control windows are full
/// (about 1 MB); content types of its own are sent full-duplex, as gRPC relies on.
/// </summary>
internal sealed class DuplexBodyContent(byte[] body) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(body).AsTask();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(body, cancellationToken).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}
