namespace Hxi.Net.Client;

/// <summary>How a redirect turns into the next request (RFC 9110 Section 15.4), as browsers and curl -L do it.</summary>
public static class Redirects
{
    public static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>The request to send next, or null when the response carries no usable Location.</summary>
    public static HxiRequest? Next(HxiRequest request, ResponseHead head)
    {
        if (!IsRedirect(head.StatusCode) || head["location"] is not { Length: > 0 } location
            || !Uri.TryCreate(request.Url, location, out var target)
            || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        // 303 always becomes GET; 301 and 302 turn POST into GET, as every client does in practice.
        var becomesGet = head.StatusCode == 303 && request.Method != "HEAD"
            || (head.StatusCode is 301 or 302 && request.Method == "POST");
        var sameOrigin = Uri.Compare(request.Url, target, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
        var headers = request.Headers.Where(h =>
            (sameOrigin || !IsCredential(h.Name))
            && !(becomesGet && IsBodyHeader(h.Name))
            && !h.Name.Equals("host", StringComparison.OrdinalIgnoreCase)).ToList();
        return request with
        {
            Method = becomesGet ? "GET" : request.Method,
            Url = target,
            Headers = headers,
            Body = becomesGet ? null : request.Body,
        };
    }

    private static bool IsCredential(string name) =>
        name.Equals("authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("cookie", StringComparison.OrdinalIgnoreCase);

    private static bool IsBodyHeader(string name) =>
        name.StartsWith("content-", StringComparison.OrdinalIgnoreCase) || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase);
}
