namespace Hxi.Net.Client;

/// <summary>One open connection that carries requests: HTTP/1.1 one at a time, HTTP/2 many at once.</summary>
public interface IHttpConnection : IAsyncDisposable
{
    /// <summary>"HTTP/1.1" or "HTTP/2".</summary>
    string Protocol { get; }

    ConnectionInfo Info { get; }

    /// <summary>False once the peer closed it, sent GOAWAY, or asked for Connection: close.</summary>
    bool IsReusable { get; }

    /// <summary>Requests completed on this connection so far.</summary>
    int RequestsCompleted { get; }

    Task<ResponseSummary> SendAsync(HxiRequest request, IResponseHandler handler, CancellationToken ct);
}
