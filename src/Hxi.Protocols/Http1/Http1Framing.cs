using System.Globalization;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http1;

/// <summary>Where a response body ends (RFC 9112 Section 6.3) and whether the connection persists (Section 9.3).</summary>
internal static class Http1Framing
{
    /// <summary>Rules 1 and 3 to 7 of Section 6.3; rule 2 (CONNECT tunnels) is the parser's, as it ends HTTP/1.1.</summary>
    public static (Http1BodyKind Kind, long? ContentLength) DecideBody(
        string requestMethod,
        int statusCode,
        IReadOnlyList<HeaderField> headers)
    {
        // Rule 1: whatever the header fields say, these responses have no content.
        if (requestMethod == "HEAD" || statusCode is < 200 or 204 or 304)
        {
            return (Http1BodyKind.None, null);
        }

        // Rule 4: Transfer-Encoding overrides Content-Length; chunked frames the body only as the final coding.
        var codings = Http1Syntax.ListElements(headers, "Transfer-Encoding");
        if (codings is not null)
        {
            if (codings.Count == 0)
            {
                throw new Http1ProtocolException("Transfer-Encoding has no codings");
            }

            return codings[^1].Equals("chunked", StringComparison.OrdinalIgnoreCase)
                ? (Http1BodyKind.Chunked, null)
                : (Http1BodyKind.UntilClose, null);
        }

        var lengths = Http1Syntax.ListElements(headers, "Content-Length");
        if (lengths is not null)
        {
            return (Http1BodyKind.ContentLength, ParseContentLength(lengths));
        }

        // Rule 7: a response without either field runs until the server closes.
        return (Http1BodyKind.UntilClose, null);
    }

    /// <summary>Section 9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".</summary>
    public static bool IsKeepAlive(bool isHttp10, IReadOnlyList<HeaderField> headers, Http1BodyKind bodyKind)
    {
        if (bodyKind == Http1BodyKind.UntilClose)
        {
            return false;
        }

        var options = Http1Syntax.ListElements(headers, "Connection") ?? [];
        if (options.Exists(o => o.Equals("close", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (!isHttp10)
        {
            return true;
        }

        // Section 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing; close after it.
        if (Http1Syntax.ListElements(headers, "Transfer-Encoding") is not null)
        {
            return false;
        }

        return options.Exists(o => o.Equals("keep-alive", StringComparison.OrdinalIgnoreCase));
    }

    // Content-Length = 1*DIGIT. Repeated equal values ("5, 5" or two fields) are one value (RFC 9110 8.6).
    private static long ParseContentLength(List<string> values)
    {
        if (values.Count == 0)
        {
            throw new Http1ProtocolException("invalid Content-Length ''");
        }

        long? length = null;
        foreach (var value in values)
        {
            if (value.AsSpan().ContainsAnyExceptInRange('0', '9'))
            {
                throw new Http1ProtocolException($"invalid Content-Length '{Http1Syntax.Show(value)}'");
            }

            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                throw new Http1ProtocolException($"Content-Length '{Http1Syntax.Show(value)}' is too large");
            }

            if (length is { } earlier && earlier != parsed)
            {
                throw new Http1ProtocolException($"Content-Length values differ: {Http1Syntax.Show(string.Join(", ", values))}");
            }

            length = parsed;
        }

        return length!.Value;
    }
}
