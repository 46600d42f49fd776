using Microsoft.AspNetCore.Http;

namespace Hxi.Server;

/// <summary>httpbin's cookie routes, so `-b` and `-c` can be tried on a machine with no network.</summary>
internal static class CookieRoutes
{
    /// <summary>/cookies: the cookies the request carried, as a JSON object.</summary>
    public static Task ShowAsync(HttpContext context) =>
        Responses.JsonAsync(context, json =>
        {
            json.WriteStartObject("cookies");
            foreach (var (name, value) in context.Request.Cookies)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
        });

    /// <summary>/cookies/set?name=value&amp;...: sets each query parameter as a cookie (path /) and redirects to /cookies.</summary>
    public static Task SetAsync(HttpContext context)
    {
        foreach (var (name, values) in context.Request.Query)
        {
            context.Response.Cookies.Append(name, values.ToString(), new CookieOptions { Path = "/" });
        }

        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = "/cookies";
        return Task.CompletedTask;
    }
}
