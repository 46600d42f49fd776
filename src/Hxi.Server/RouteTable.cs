using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Hxi.Server;

/// <summary>Dispatches a request by its first path segment; hand-written so nothing depends on reflection.</summary>
internal sealed class RouteTable(Action<string>? log)
{
    /// <summary>An HttpContext.Items key a route sets when its status code would misdescribe the outcome.</summary>
    public const string OutcomeKey = "hxi.outcome";

    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        string? failure = null;
        try
        {
            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or /reset did); there is no one left to answer.
        }
        catch (Exception exception)
        {
            // Kestrel's own logging is off, so this line is the only trace a failing route leaves.
            failure = $" {exception.GetType().Name}: {exception.Message}";
            throw;
        }
        finally
        {
            log?.Invoke(Describe(context, Stopwatch.GetElapsedTime(started), failure));
        }
    }

    private static string Describe(HttpContext context, TimeSpan elapsed, string? failure)
    {
        var request = context.Request;
        var outcome = failure is not null ? "500"
            : context.Items.TryGetValue(OutcomeKey, out var routeOutcome) && routeOutcome is string described ? described
            : context.RequestAborted.IsCancellationRequested ? "aborted"
            : context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{request.Protocol} {request.Method} {request.Path}{request.QueryString} -> {outcome} ({elapsed.TotalMilliseconds:0.0} ms){failure}");
    }

    private static Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var (route, argument) = Split(path);
        return route switch
        {
            "" when argument is null => BasicRoutes.GreetingAsync(context),
            "json" when argument is null => BasicRoutes.JsonAsync(context),
            "headers" when argument is null => BasicRoutes.HeadersAsync(context),
            "echo" when argument is null => BasicRoutes.EchoAsync(context),
            "status" when argument is not null => StatusRoutes.StatusAsync(context, argument),
            "redirect" when argument is not null => StatusRoutes.RedirectAsync(context, argument),
            "delay" when argument is not null => StatusRoutes.DelayAsync(context, argument),
            "bytes" when argument is not null => BodyRoutes.BytesAsync(context, argument),
            "stream" when argument is not null => BodyRoutes.StreamAsync(context, argument),
            "gzip" or "brotli" or "deflate" when argument is null => BodyRoutes.CompressedAsync(context, route),
            "trailers" when argument is null => ProtocolRoutes.TrailersAsync(context),
            "bigheaders" when argument is null => ProtocolRoutes.BigHeadersAsync(context),
            "reset" when argument is null => ProtocolRoutes.ResetAsync(context),
            "cookies" when argument is null => CookieRoutes.ShowAsync(context),
            "cookies" when argument == "set" => CookieRoutes.SetAsync(context),
            _ => Responses.TextAsync(context, StatusCodes.Status404NotFound, $"not found: {path}\n"),
        };
    }

    /// <summary>"/status/418" is ("status", "418"); "/json" is ("json", null); a trailing slash is ignored.</summary>
    private static (string Route, string? Argument) Split(string path)
    {
        var trimmed = path.Trim('/');
        var slash = trimmed.IndexOf('/');
        return slash < 0 ? (trimmed, null) : (trimmed[..slash], trimmed[(slash + 1)..]);
    }
}
