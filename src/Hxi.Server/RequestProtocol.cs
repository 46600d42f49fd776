using Microsoft.AspNetCore.Http;

namespace Hxi.Server;

/// <summary>The protocol the client really spoke: HTTP/3 requests reach Kestrel through the h2c backend hop.</summary>
internal static class RequestProtocol
{
    public static string Of(HttpRequest request) =>
        request.Headers.TryGetValue(Http3.FrontendRequest.FrontendHeader, out var frontend) && frontend.Count > 0
            ? frontend[0]!
            : request.Protocol;
}
