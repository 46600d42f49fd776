namespace Hxi.Net.Client;

/// <summary>Which HTTP version to speak and how to get there.</summary>
public enum ProtocolMode
{
    /// <summary>https: ALPN offers h2 and http/1.1; http: HTTP/1.1.</summary>
    Auto,

    /// <summary>HTTP/1.1 only (ALPN offers only http/1.1).</summary>
    Http11,

    /// <summary>https: as Auto; http: h2c by HTTP/1.1 Upgrade.</summary>
    Http2,

    /// <summary>h2c by prior knowledge on http:, h2 without fallback on https:.</summary>
    Http2PriorKnowledge,

    /// <summary>HTTP/3 over QUIC first, falling back to TCP (h2, http/1.1) with the reason shown.</summary>
    Http3,

    /// <summary>HTTP/3 only: no fallback, a clear error when QUIC fails.</summary>
    Http3Only,
}
