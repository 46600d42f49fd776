namespace Hxi.Protocols.Http1;

/// <summary>How the end of a response body is found (RFC 9112 Section 6.3).</summary>
public enum Http1BodyKind
{
    /// <summary>No body: a HEAD request, or status 1xx, 204 or 304.</summary>
    None,

    /// <summary>Exactly Content-Length bytes.</summary>
    ContentLength,

    /// <summary>Chunked transfer coding, ended by the last chunk and trailer section.</summary>
    Chunked,

    /// <summary>Everything until the server closes the connection; never keep-alive.</summary>
    UntilClose,
}
