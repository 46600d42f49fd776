using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Http2;

/// <summary>Turns a request into an HTTP/2 field list (RFC 9113 Section 8.3), and says what it changed.</summary>
public static class Http2RequestMapper
{
    // RFC 9113 Section 8.2.2: connection-specific fields must not appear in HTTP/2.
    private static readonly HashSet<string> ConnectionSpecific = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host",
    };

    /// <summary>The field list, and the names of the fields that were dropped (Host becomes :authority).</summary>
    public static (List<HeaderField> Fields, List<string> Dropped) Map(HxiRequest request, string scheme)
    {
        var authority = request.Headers.FirstOrDefault(h => h.Name.Equals("host", StringComparison.OrdinalIgnoreCase)).Value
            ?? request.Authority;
        var fields = new List<HeaderField>(request.Headers.Count + 5)
        {
            new(":method", request.Method),
            new(":scheme", scheme),
            new(":authority", authority),
            new(":path", request.Target),
        };
        var dropped = new List<string>();
        var hasContentLength = false;
        foreach (var header in request.Headers)
        {
            var name = header.Name.ToLowerInvariant();
            if (ConnectionSpecific.Contains(name) || (name == "te" && !header.Value.Equals("trailers", StringComparison.OrdinalIgnoreCase)))
            {
                dropped.Add(header.Name);
                continue;
            }

            hasContentLength |= name == "content-length";
            fields.Add(new HeaderField(name, header.Value));
        }

        if (!hasContentLength && request.Body?.Length is { } length)
        {
            fields.Add(new HeaderField("content-length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return (fields, dropped);
    }
}
