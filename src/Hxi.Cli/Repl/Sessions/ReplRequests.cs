using Hxi.Cli.Repl.Parsing;
using Hxi.Net.Client;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>The short forms (<c>get /a /b /c</c>): requests sent together, shown as they finish, then a summary table.</summary>
public static class ReplRequests
{
    public static async Task RunAsync(IReplSession session, ShortRequest command, ReplContext context, CancellationToken ct)
    {
        var requests = command.Targets
            .SelectMany(target => Enumerable.Repeat(new ReplRequest(command.Method, target, command.Headers, command.Body), command.Parallel))
            .ToList();
        if (!command.Background)
        {
            await RunBatchAsync(session, requests, context, ct);
            return;
        }

        context.Note($"{requests.Count} request(s) started in the background; their answers print when they arrive (wait requests waits for them)");
        context.AddBackground(Task.Run(async () =>
        {
            try
            {
                await RunBatchAsync(session, requests, context, CancellationToken.None);
            }
            catch (ReplCommandException ex)
            {
                context.Warn(ex.Message);
            }
        }, CancellationToken.None));
    }

    private static async Task RunBatchAsync(IReplSession session, List<ReplRequest> requests, ReplContext context, CancellationToken ct)
    {
        // Multiplexing made visible: every HEADERS frame is written before the first one is flushed.
        var hold = requests.Count > 1 ? await session.HoldFlushesAsync(ct) : null;
        // A request on its own prints as it arrives; answers to several are shown as a table once all are in.
        var started = requests.Select(async request =>
        {
            try
            {
                var response = await session.SendAsync(requests.Count == 1 ? request.Live(session) : request, ct);
                if (requests.Count > 1)
                {
                    context.Note(ReplResponseWriter.Describe(response));
                }

                return (request.Target, Response: (ReplResponse?)response, Error: (string?)null, Kind: FailureKind.Usage);
            }
            catch (HxiException ex)
            {
                return (request.Target, Response: null, Error: ex.Message, ex.Kind);
            }
            catch (ReplCommandException ex)
            {
                return (request.Target, Response: null, Error: ex.Message, ex.Kind);
            }
        }).ToList();
        hold?.Dispose();
        var results = await Task.WhenAll(started);

        if (requests.Count == 1)
        {
            var (_, response, error, kind) = results[0];
            if (response is null)
            {
                throw new ReplCommandException(error!, kind);
            }

            ReplResponseWriter.Write(context, response, headShown: true, bodyShown: true);
            return;
        }

        context.Out.Write(RequestSummaryTable.Render([.. results.Select(r => (r.Target, r.Response, r.Error))]));
        var failed = results.Count(r => r.Response is null);
        if (failed > 0)
        {
            throw new ReplCommandException($"{failed} of {results.Length} requests failed", results.First(r => r.Response is null).Kind);
        }
    }
}
