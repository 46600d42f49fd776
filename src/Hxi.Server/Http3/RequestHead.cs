using Hxi.Protocols.Primitives;

namespace Hxi.Server.Http3;

/// <summary>
/// The control data of an HTTP/3 request (RFC 9114 Section 4.3.1) and what this server will serve of it.
/// </summary>
/// <remarks>
/// The message rules themselves (pseudo-header presence, order and repeats, the method token, field names and values,
/// connection-specific fields, content-length, trailers) are judged once, by the HTTP/3 core's
/// <c>MessageValidator</c> with the RFC 9114 rule book: a request that breaks one never reaches the server, its stream
/// is reset with H3_MESSAGE_ERROR by the core. What is left here is this server's own policy on top of a well-formed
/// request. The path is only ever a path: origin-form ("/x") or "*" for OPTIONS, whatever the scheme. A network-path
/// ("//host:port/x") stays a path on this server, and an absolute-form target is refused, so nothing a client sends can
/// name another host or port.
/// </remarks>
internal sealed record RequestHead(string Method, string Scheme, string? Authority, string Path)
{
    /// <summary>Takes the pseudo-headers of a request the core has judged well-formed; false (and why) when the server will not serve it.</summary>
    public static bool TryParse(IReadOnlyList<HeaderField> fields, out RequestHead head, out string problem)
    {
        head = new RequestHead("", "", null, "");
        string? method = null, scheme = null, authority = null, path = null;
        foreach (var field in fields)
        {
            // The core has checked that the pseudo-headers come first, once each.
            if (!field.IsPseudo)
            {
                break;
            }

            switch (field.Name)
            {
                case ":method":
                    method = field.Value;
                    break;
                case ":scheme":
                    scheme = field.Value;
                    break;
                case ":authority":
                    authority = field.Value;
                    break;
                case ":path":
                    path = field.Value;
                    break;
            }
        }

        if (method is null || method == "CONNECT" || scheme is null || path is null)
        {
            // A CONNECT request (RFC 9114 Section 4.4) is well-formed without :scheme and :path, but there is no tunnel here.
            problem = method == "CONNECT" ? "CONNECT is not served here" : "not a request the core let through (no :method, :scheme or :path)";
            return false;
        }

        // The core lets a scheme other than http/https carry any path; this server serves paths only.
        if (!(path.StartsWith('/') || (path == "*" && method == "OPTIONS")) || !IsVisibleAscii(path))
        {
            problem = $":path \"{path}\" is not an origin-form path";
            return false;
        }

        if (authority is not null && (authority.Contains('@') || !IsVisibleAscii(authority)))
        {
            problem = $":authority \"{authority}\" is not a host and port";
            return false;
        }

        head = new RequestHead(method, scheme, authority, path);
        problem = "";
        return true;
    }

    private static bool IsVisibleAscii(string value) => value.All(c => c is > ' ' and < (char)0x7f);
}
