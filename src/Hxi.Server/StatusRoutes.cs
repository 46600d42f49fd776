using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Hxi.Server;

/// <summary>/status/N, /redirect/N and /delay/MS: status codes and timing on demand.</summary>
internal static class StatusRoutes
{
    private const int MaxRedirects = 100;
    private const int MaxDelayMilliseconds = 10_000;

    /// <summary>
    /// Answers with status N. Kestrel (as of .NET 10) has no API to send an interim 1xx response such as
    /// 103 Early Hints, and a 1xx cannot be final, so any 1xx answers 200 and says so in X-Hxi-Interim.
    /// </summary>
    public static Task StatusAsync(HttpContext context, string argument)
    {
        if (!Responses.TryParseArgument(argument, 599, out var requested) || requested < 100)
        {
            return Responses.TextAsync(context, StatusCodes.Status400BadRequest, "/status/N takes N from 100 to 599\n");
        }

        var status = (int)requested;
        if (status < 200)
        {
            context.Response.Headers["X-Hxi-Interim"] = $"{status} not sent: Kestrel cannot send 1xx responses";
            status = StatusCodes.Status200OK;
        }

        context.Response.StatusCode = status;
        if (!CanHaveBody(status))
        {
            return Task.CompletedTask;
        }

        return Responses.TextAsync(context, status, $"status {status.ToString(CultureInfo.InvariantCulture)}\n");
    }

    /// <summary>Redirects exactly N times: /redirect/3 → /redirect/2 → /redirect/1 → /json.</summary>
    public static Task RedirectAsync(HttpContext context, string argument)
    {
        if (!Responses.TryParseArgument(argument, MaxRedirects, out var remaining))
        {
            return Responses.BadArgumentAsync(context, "redirect", MaxRedirects);
        }

        if (remaining == 0)
        {
            return BasicRoutes.JsonAsync(context);
        }

        var location = remaining == 1 ? "/json" : $"/redirect/{(remaining - 1).ToString(CultureInfo.InvariantCulture)}";
        context.Response.Headers.Location = location;
        return Responses.TextAsync(context, StatusCodes.Status302Found, $"redirecting to {location}\n");
    }

    public static async Task DelayAsync(HttpContext context, string argument)
    {
        if (!Responses.TryParseArgument(argument, MaxDelayMilliseconds, out var milliseconds))
        {
            await Responses.BadArgumentAsync(context, "delay", MaxDelayMilliseconds).ConfigureAwait(false);
            return;
        }

        await Task.Delay(TimeSpan.FromMilliseconds(milliseconds), context.RequestAborted).ConfigureAwait(false);
        await Responses.TextAsync(context, StatusCodes.Status200OK,
            $"waited {milliseconds.ToString(CultureInfo.InvariantCulture)} ms\n").ConfigureAwait(false);
    }

    // RFC 9110 §6.4.1: 204 and 304 never carry content.
    private static bool CanHaveBody(int status) =>
        status is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified);
}
