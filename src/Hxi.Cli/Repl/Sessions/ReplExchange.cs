using Hxi.Net.Client;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>One short-form request on a multiplexed connection (HTTP/2 or HTTP/3), timed and counted in the stats.</summary>
internal static class ReplExchange
{
    /// <summary>
    /// Gets the session's connection (opening one if needed) and sends on it; a connection that can't be had is
    /// a failed request. <paramref name="countOnConnection"/> returns how many requests the connection has now carried.
    /// </summary>
    public static async Task<ReplResponse> ConnectAndSendAsync(
        Func<Task<IHttpConnection>> connect, Func<int> countOnConnection, ReplRequest request, ReplContext context, CancellationToken ct)
    {
        var number = context.NextRequestNumber();
        IHttpConnection connection;
        try
        {
            connection = await connect();
        }
        catch (HxiException ex)
        {
            context.Stats.RequestFailed();
            throw ReplCommandException.From(ex, $"{request.Method} {request.Target}");
        }

        if (countOnConnection() > 1)
        {
            context.Stats.ConnectionReused();
        }

        return await SendAsync(connection, request, context, number, ct);
    }

    public static async Task<ReplResponse> SendAsync(
        IHttpConnection connection, ReplRequest request, ReplContext context, int number, CancellationToken ct)
    {
        try
        {
            var buffering = new BufferingResponseHandler();
            var live = request.PrintLive ? new LiveResponsePrinter(context, request.PrintHead, connection.Protocol) : null;
            IResponseHandler handler = live is null ? buffering : live;
            var url = new Uri(context.BaseUrl, request.Target);
            var body = request.Body is { Length: > 0 } bytes ? RequestBody.FromBytes(bytes) : null;
            var sent = new HxiRequest(request.Method, url, request.Headers, body);
            var har = context.Har?.BeginOwn(sent, handler, connection.Protocol is "HTTP/2" or "HTTP/3" ? connection.Protocol : null);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(context.RequestTimeout);
            var summary = await connection.SendAsync(sent, har?.Handler ?? handler, timeout.Token);
            context.Stats.RequestCompleted(summary.Duration);
            if (har is { Entry: var entry })
            {
                context.Har!.Complete(entry, summary);
            }

            live?.Finish();

            return new ReplResponse(request.Target, connection.Protocol, summary.Head.StatusCode, "", summary.Head.Headers, live?.Body ?? buffering.Body,
                summary.Duration, summary.Head.StreamId, number);
        }
        catch (HxiException ex)
        {
            context.Stats.RequestFailed();
            throw ReplCommandException.From(ex, $"{request.Method} {request.Target}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            context.Stats.RequestFailed();
            throw new ReplCommandException($"{request.Method} {request.Target}: no response within {context.RequestTimeout.TotalSeconds:0} s", FailureKind.Timeout);
        }
    }
}
