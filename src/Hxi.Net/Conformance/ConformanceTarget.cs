namespace Hxi.Net.Conformance;

/// <summary>The server under test and how to reach it.</summary>
/// <param name="Url">Scheme, host, port and the path that requests ask for (it should answer 200 with a small body).</param>
/// <param name="Tls">TLS with ALPN (h2 or h3) rather than cleartext prior knowledge (h2c).</param>
/// <param name="CaseTimeout">How long one case may wait for the server's answer before it is judged on what it saw.</param>
/// <param name="Grace">
/// After the server has answered a PING sent behind the test input, how much longer to wait for an error frame: some
/// servers (nghttp2) queue PING ACKs ahead of RST_STREAM.
/// </param>
public sealed record ConformanceTarget(Uri Url, bool Tls, TimeSpan CaseTimeout, TimeSpan Grace)
{
    /// <summary>Trust for TLS: -k, or a CA file; the system store otherwise.</summary>
    public bool Insecure { get; init; }

    public string? CaCertificatePath { get; init; }

    /// <summary>host[:port] as requests carry it in :authority.</summary>
    public string Authority => Url.IsDefaultPort ? Url.Host : $"{Url.Host}:{Url.Port}";

    public string Path => string.IsNullOrEmpty(Url.PathAndQuery) ? "/" : Url.PathAndQuery;

    public string Scheme => Tls ? "https" : "http";
}
