using Hxi.Net.Http1;
using Hxi.Net.Http2;
using Hxi.Net.Transport;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Client;

/// <summary>
/// Sends requests, choosing the protocol (ALPN, h2c by prior knowledge or Upgrade) and reusing
/// connections per origin, like a browser would.
/// </summary>
public sealed class HxiClient(ClientOptions options) : IAsyncDisposable
{
    private readonly Dictionary<string, IHttpConnection> _connections = [];
    private readonly SemaphoreSlim _connectLock = new(1, 1);

    public ClientOptions Options => options;

    private int _connectionsOpened;

    // Schedulers for several origins open connections at once: the counts are kept with Interlocked.
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    private int _connectionsReused;

    public int ConnectionsReused => Volatile.Read(ref _connectionsReused);

    /// <summary>Sends one request, opening a connection or reusing one to the same origin.</summary>
    public async Task<ResponseSummary> SendAsync(HxiRequest request, IResponseHandler handler, CancellationToken ct)
    {
        var key = OriginKey(request.Url);
        IHttpConnection? connection;
        await _connectLock.WaitAsync(ct);
        try
        {
            if (_connections.TryGetValue(key, out connection) && connection.IsReusable)
            {
                NoteReuse(connection);
            }
            else
            {
                if (connection is not null)
                {
                    _connections.Remove(key);
                    await connection.DisposeAsync();
                }

                var opened = await OpenAsync(request, handler, ct);
                if (opened.Summary is { } upgraded)
                {
                    _connections[key] = opened.Connection;
                    return upgraded;
                }

                connection = opened.Connection;
                _connections[key] = connection;
            }
        }
        finally
        {
            _connectLock.Release();
        }

        return await SendOnAsync(connection, reused: false, request, handler, ct);
    }

    /// <summary>
    /// Sends one request on a connection from <see cref="OpenAsync"/> (a scheduler's), as <see cref="SendAsync"/> does
    /// on its pooled one: a reuse is said (-v) and counted, and the response's Alt-Svc remembered.
    /// </summary>
    public Task<ResponseSummary> SendOnAsync(IHttpConnection connection, bool reused, HxiRequest request, IResponseHandler handler, CancellationToken ct)
    {
        if (reused)
        {
            NoteReuse(connection);
        }

        return options.AltSvc is null ? connection.SendAsync(request, handler, ct) : SendRememberingAltSvcAsync(connection, request, handler, ct);
    }

    private async Task<ResponseSummary> SendRememberingAltSvcAsync(IHttpConnection connection, HxiRequest request, IResponseHandler handler, CancellationToken ct)
    {
        var summary = await connection.SendAsync(request, handler, ct);
        RememberAltSvc(request.Url, summary);
        return summary;
    }

    private void NoteReuse(IHttpConnection connection)
    {
        Interlocked.Increment(ref _connectionsReused);
        options.Log?.Invoke($"reusing the {connection.Protocol} connection to {connection.Info.Host}:{connection.Info.Port}");
    }

    /// <summary>Opens a connection for the request's origin; an h2c Upgrade also answers the request itself.</summary>
    public async Task<(IHttpConnection Connection, ResponseSummary? Summary)> OpenAsync(HxiRequest request, IResponseHandler handler, CancellationToken ct)
    {
        var url = request.Url;
        var https = url.Scheme == Uri.UriSchemeHttps;
        if (!https && url.Scheme != Uri.UriSchemeHttp)
        {
            throw new HxiException(FailureKind.Usage, $"unsupported URL scheme '{url.Scheme}' (use http or https)");
        }

        var alternative = https ? FindAltSvc(url) : null;
        if (https && (options.Protocol is ProtocolMode.Http3 or ProtocolMode.Http3Only || alternative is not null))
        {
            var http3 = await TryHttp3Async(alternative is null ? url : new UriBuilder(url) { Port = alternative.Port }.Uri, ct);
            if (http3 is not null)
            {
                return (http3, null);
            }
        }
        else if (!https && options.Protocol is ProtocolMode.Http3 or ProtocolMode.Http3Only)
        {
            if (options.Protocol == ProtocolMode.Http3Only)
            {
                throw new HxiException(FailureKind.Usage, "HTTP/3 needs an https:// URL (QUIC always uses TLS)");
            }

            options.Log?.Invoke("HTTP/3 needs https; using HTTP/1.1 for this http:// URL");
        }

        string[] alpn = options.Protocol switch
        {
            ProtocolMode.Http11 => ["http/1.1"],
            ProtocolMode.Http2PriorKnowledge => ["h2"],
            ProtocolMode.Http3Only => throw new HxiException(FailureKind.Protocol, "HTTP/3 failed and --http3-only forbids falling back"),
            _ => ["h2", "http/1.1"],
        };
        var transport = await TransportConnector.ConnectAsync(url, alpn, options, ct);
        Interlocked.Increment(ref _connectionsOpened);
        options.OnConnected?.Invoke(transport.Info);
        try
        {
            if (https)
            {
                return (await OverTlsAsync(transport, alpn), null);
            }

            return options.Protocol switch
            {
                ProtocolMode.Http2PriorKnowledge => (await StartHttp2Async(transport, transport.Info with { Protocol = "h2c" }), null),
                ProtocolMode.Http2 => await UpgradeAsync(transport, request, handler, ct),
                _ => (new Http1ClientConnection(transport, options, transport.Info), null),
            };
        }
        catch
        {
            await transport.DisposeAsync();
            throw;
        }
    }

    /// <summary>QUIC with ALPN h3; null (and the reason logged) when falling back is allowed.</summary>
    private async Task<IHttpConnection?> TryHttp3Async(Uri url, CancellationToken ct)
    {
        var fallback = options.Protocol != ProtocolMode.Http3Only;
        var quicOptions = fallback
            ? options with { ConnectTimeout = options.ConnectTimeout is { } limit && limit < options.Http3FallbackTimeout ? limit : options.Http3FallbackTimeout }
            : options;
        try
        {
            var connection = await Http3.Http3ClientConnection.ConnectAsync(url, quicOptions, options.TlsObserver, options.Clock, ct);
            Interlocked.Increment(ref _connectionsOpened);
            options.OnConnected?.Invoke(connection.Info);
            return connection;
        }
        catch (HxiException ex) when (fallback && ex.Kind != FailureKind.Usage)
        {
            options.Log?.Invoke($"falling back from HTTP/3 to TCP: {ex.Message}");
            return null;
        }
    }

    private async Task<IHttpConnection> OverTlsAsync(TransportConnection transport, string[] alpn)
    {
        var chosen = transport.Info.Tls?.AlpnChosen;
        if (chosen == "h2")
        {
            return await StartHttp2Async(transport, transport.Info);
        }

        if (options.Protocol == ProtocolMode.Http2PriorKnowledge)
        {
            throw new HxiException(FailureKind.Protocol, $"the server did not select h2 by ALPN (it chose {chosen ?? "nothing"}); hxi was told to use HTTP/2 only");
        }

        var reason = alpn.Contains("h2")
            ? chosen is null ? "the server chose no ALPN protocol, so HTTP/1.1 is used" : $"the server chose '{chosen}' by ALPN instead of h2"
            : null;
        if (reason is not null)
        {
            options.Log?.Invoke($"falling back to HTTP/1.1: {reason}");
        }

        return new Http1ClientConnection(transport, options, transport.Info with { Protocol = "http/1.1", FallbackReason = reason });
    }

    private async Task<Http2ClientConnection> StartHttp2Async(TransportConnection transport, ConnectionInfo info)
    {
        var connection = new Http2ClientConnection(transport, options, info);
        await connection.StartAsync();
        return connection;
    }

    /// <summary>h2c by HTTP/1.1 Upgrade (RFC 7540 Section 3.2): the first request asks to switch.</summary>
    private async Task<(IHttpConnection, ResponseSummary?)> UpgradeAsync(TransportConnection transport, HxiRequest request, IResponseHandler handler, CancellationToken ct)
    {
        var http1 = new Http1ClientConnection(transport, options, transport.Info);
        var settings = options.Http2ConnectionOptions().ToSettings();
        var upgrade = request with
        {
            Headers =
            [
                .. request.Headers,
                new HeaderField("Connection", "Upgrade, HTTP2-Settings"),
                new HeaderField("Upgrade", "h2c"),
                new HeaderField("HTTP2-Settings", Http2SettingsHeader.Encode(settings)),
            ],
        };
        options.Log?.Invoke("asking to switch to h2c with Upgrade: h2c");
        var answer = await http1.SendUpgradeAsync(upgrade, handler, ct);
        if (http1.SwitchedProtocols is null)
        {
            var reason = $"the server ignored Upgrade: h2c and answered {answer.Head.StatusCode} over HTTP/1.1";
            options.Log?.Invoke($"falling back to HTTP/1.1: {reason}");
            return (http1, answer with { Connection = answer.Connection with { FallbackReason = reason } });
        }

        options.Log?.Invoke($"the server switched to h2c: {answer.Head.StatusCode} Switching Protocols");
        var info = transport.Info with { Protocol = "h2c" };
        var connection = new Http2ClientConnection(transport, options, info);
        // Stream 1's handler runs on the connection's delivery task like any other stream's: a slow terminal must not
        // hold up the reader thread that answers PING and SETTINGS.
        var pending = connection.NewPendingResponse(handler, System.Diagnostics.Stopwatch.StartNew());
        await connection.StartAsync(http1.TakeBytesAfterSwitch(), upgradedStreamId: 1, pending);
        var head = await pending.Delivered.WaitAsync(ct);
        return (connection, new ResponseSummary(head, pending.BodyBytes, pending.TimeToFirstByte, answer.Duration, info, false));
    }

    /// <summary>--alt-svc: a remembered h3 alternative, when the protocol mode lets hxi pick HTTP/3 itself.</summary>
    private AltSvcEntry? FindAltSvc(Uri url)
    {
        if (options.AltSvc is not { } cache || options.Protocol is ProtocolMode.Http11 or ProtocolMode.Http2PriorKnowledge)
        {
            return null;
        }

        var entry = cache.FindHttp3(url.IdnHost, url.Port, DateTimeOffset.UtcNow);
        if (entry is not null)
        {
            options.Log?.Invoke($"alt-svc: {entry.SourceHost}:{entry.SourcePort} offers h3 on port {entry.Port} (remembered in {cache.Path} until {entry.Expires.UtcDateTime:yyyy-MM-dd HH:mm} UTC); trying HTTP/3");
        }

        return entry;
    }

    private void RememberAltSvc(Uri url, ResponseSummary summary)
    {
        if (options.AltSvc is not { } cache || !cache.RememberFrom(url, summary, DateTimeOffset.UtcNow))
        {
            return;
        }

        try
        {
            cache.Save();
            options.Log?.Invoke($"alt-svc: remembered what {url.IdnHost}:{url.Port} advertises in {cache.Path}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The cache only saves a round trip next time: failing to write it must not fail the request.
            options.Log?.Invoke($"alt-svc: could not write {cache.Path}: {ex.Message}");
        }
    }

    private string OriginKey(Uri url) => $"{url.Scheme}://{url.IdnHost}:{url.Port}";

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values)
        {
            await connection.DisposeAsync();
        }

        _connections.Clear();
        _connectLock.Dispose();
    }
}
