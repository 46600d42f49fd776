using Hxi.Net.Client;
using Hxi.Net.Transport;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>Opens the REPL's transport and tells which protocol it will speak: ALPN on https, the user's word on http.</summary>
public static class ReplConnector
{
    public static Task<TransportConnection> ConnectAsync(ReplContext context, ProtocolMode mode, CancellationToken ct)
    {
        string[] alpn = mode switch
        {
            ProtocolMode.Http11 => ["http/1.1"],
            ProtocolMode.Http2PriorKnowledge => ["h2"],
            _ => ["h2", "http/1.1"],
        };
        return TransportConnector.ConnectAsync(context.BaseUrl, alpn, context.ClientOptions, ct);
    }

    /// <summary>h2 when ALPN chose it, h2c when the user said the cleartext server speaks HTTP/2 (prior knowledge, or --http2's Upgrade).</summary>
    public static bool SpeaksHttp2(TransportConnection transport, ProtocolMode mode) =>
        transport.Info.Tls is { } tls ? tls.AlpnChosen == "h2" : mode is ProtocolMode.Http2PriorKnowledge or ProtocolMode.Http2;

    public static string Authority(Uri url) => url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";
}
