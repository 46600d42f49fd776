using Hxi.Protocols.Primitives;

namespace Hxi.Server.Http3;

/// <summary>
/// The control data of an HTTP/3 request (RFC 9114 Section 4.3.1), checked before anything acts on it: a request
/// that fails is malformed (Section 4.1.2) and is answered with H3_MESSAGE_ERROR, never served.
/// </summary>
/// <remarks>
/// The path is only ever a path: origin-form ("/x") or "*" for OPTIONS. A network-path ("//host:port/x") stays a path on
/// this server, and an absolute-form target is malformed, so nothing a client sends can name another host or port.
/// </remarks>
internal sealed record RequestHead(string Method, string Scheme, string? Authority, string Path)
{
    public static bool TryParse(IReadOnlyList<HeaderField> fields, out RequestHead head, out string problem)
    {
        head = new RequestHead("", "", null, "");
        string? method = null, scheme = null, authority = null, path = null;
        var regularSeen = false;
        foreach (var field in fields)
        {
            if (!field.IsPseudo)
            {
                regularSeen = true;
                continue;
            }

            if (regularSeen)
            {
                problem = $"pseudo-header {field.Name} after a regular field";
                return false;
            }

            ref var slot = ref method;
            switch (field.Name)
            {
                case ":method":
                    slot = ref method;
                    break;
                case ":scheme":
                    slot = ref scheme;
                    break;
                case ":authority":
                    slot = ref authority;
                    break;
                case ":path":
                    slot = ref path;
                    break;
                default:
                    problem = $"pseudo-header {field.Name} is not a request pseudo-header";
                    return false;
            }

            if (slot is not null)
            {
                problem = $"{field.Name} appears twice";
                return false;
            }

            slot = field.Value;
        }

        if (method is null || !IsToken(method))
        {
            problem = method is null ? ":method is missing" : $":method \"{method}\" is not a token";
            return false;
        }

        if (method == "CONNECT")
        {
            problem = "CONNECT is not served here";
            return false;
        }

        if (scheme is null || path is null)
        {
            problem = scheme is null ? ":scheme is missing" : ":path is missing";
            return false;
        }

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

    // RFC 9110 Section 5.6.2: token = 1*tchar.
    private static bool IsToken(string value) =>
        value.Length > 0 && value.All(c => c < 0x7f && (char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)));

    private static bool IsVisibleAscii(string value) => value.All(c => c is > ' ' and < (char)0x7f);
}
