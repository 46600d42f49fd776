using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hxi.Server;

/// <summary>An in-process Kestrel server with httpbin-like routes, so hxi works on a machine with no network.</summary>
public sealed class EmbeddedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _ownedCertificateDirectory;
    private readonly X509Certificate2 _serverCertificate;
    private readonly List<Http3.Http3Frontend> _http3 = [];
    private IdleMemoryTrim? _trim;

    private EmbeddedServer(
        WebApplication app, LocalCertificates certificates, string? ownedCertificateDirectory, Uri httpsUri, Uri httpUri, Uri h2cUri)
    {
        _app = app;
        _ownedCertificateDirectory = ownedCertificateDirectory;
        _serverCertificate = certificates.Server;
        CaCertificate = certificates.Authority;
        CaCertificatePath = certificates.AuthorityPath;
        HttpsUri = httpsUri;
        HttpUri = httpUri;
        H2cUri = h2cUri;
    }

    /// <summary>HTTP/1.1 and HTTP/2 over TLS (ALPN).</summary>
    public Uri HttpsUri { get; }

    /// <summary>HTTP/1.1 over cleartext.</summary>
    public Uri HttpUri { get; }

    /// <summary>HTTP/2 over cleartext by prior knowledge.</summary>
    public Uri H2cUri { get; }

    /// <summary>The self-signed CA that signed the server certificate.</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>The CA as a PEM file, for <c>--cacert</c>.</summary>
    public string CaCertificatePath { get; }

    public static async Task<EmbeddedServer> StartAsync(EmbeddedServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ownedDirectory = options.CertificateDirectory is null
            ? Directory.CreateTempSubdirectory("hxi-serve-").FullName
            : null;
        var certificates = LocalCertificates.Create(options.CertificateDirectory ?? ownedDirectory!, options.Address);
        IReadOnlyList<IPAddress> addresses = options.BothLoopbacks && LoopbackPorts.HasIPv6Loopback()
            ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : [options.BothLoopbacks ? IPAddress.Loopback : options.Address];
        var (httpsPort, httpPort, h2cPort) = PortsFor(options, addresses);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            // Keep the user's working directory (and any appsettings.json there) out of it.
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        // The CLI owns the console: no Kestrel log lines, no "Now listening" banner, no Ctrl+C handler.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, SilentHostLifetime>();

        ListenOptions? https = null, http = null, h2c = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            ConfigureLimits(kestrel.Limits);
            foreach (var address in addresses)
            {
                var bound = Listen(kestrel, address, httpsPort, HttpProtocols.Http1AndHttp2);
                bound.UseHttps(certificates.Server);
                // After UseHttps: the guard reads the decrypted bytes.
                Http2.Http2InboundGuard.Use(bound, kestrel.Limits.Http2.MaxFrameSize);
                https ??= bound;
                http ??= Listen(kestrel, address, httpPort, HttpProtocols.Http1);
                var cleartext = Listen(kestrel, address, h2cPort, HttpProtocols.Http2);
                Http2.Http2InboundGuard.Use(cleartext, kestrel.Limits.Http2.MaxFrameSize);
                h2c ??= cleartext;
                if (address != addresses[0])
                {
                    Listen(kestrel, address, httpPort, HttpProtocols.Http1);
                }
            }
        });

        var app = builder.Build();
        var routes = new RouteTable(options.Log);
        // RFC 9113 Section 8 rules Kestrel leaves to the application: a malformed HTTP/2 request never reaches a route.
        app.Use(Http2.Http2RequestRules.GuardAsync);
        app.Run(routes.HandleAsync);
        // The pipeline Kestrel runs, built once more for HTTP/3 requests: one route table for every version.
        var http3 = new Http3.Http3Application(((IApplicationBuilder)app).Build(), app.Services);

        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            certificates.Server.Dispose();
            DeleteDirectory(ownedDirectory);
            throw;
        }

        // Kestrel writes the bound endpoint back into each ListenOptions, which is how port 0 resolves.
        var host = options.BothLoopbacks ? "localhost" : HostFor(options.Address);
        var server = new EmbeddedServer(
            app,
            certificates,
            ownedDirectory,
            new Uri($"https://{host}:{https!.IPEndPoint!.Port}/"),
            new Uri($"http://{host}:{http!.IPEndPoint!.Port}/"),
            new Uri($"http://{host}:{h2c!.IPEndPoint!.Port}/"))
        {
            Addresses = addresses,
        };
        if (options.Http3)
        {
            foreach (var address in addresses)
            {
                server.StartHttp3(new IPEndPoint(address, https.IPEndPoint.Port), http3, options);
            }
        }

        if (options.TrimMemoryWhenIdle)
        {
            // Every 5 s: a flood's state is gone 10 s after it (the handshake timeout), its memory soon after.
            server._trim = new IdleMemoryTrim(TimeSpan.FromSeconds(5));
        }

        return server;
    }

    /// <summary>True when HTTP/3 is served on UDP at the HTTPS port.</summary>
    public bool Http3Enabled => _http3.Count > 0;

    /// <summary>Every address the server listens on (TCP, and UDP for HTTP/3).</summary>
    public IReadOnlyList<IPAddress> Addresses { get; private init; } = [];

    internal Http3.Http3Frontend? Http3Frontend => _http3.FirstOrDefault();

    /// <summary>The HTTP/3 preferred address in use, its port resolved (RFC 9000 Section 9.6); null when none is offered.</summary>
    public IPEndPoint? Http3PreferredAddress => _http3.Select(f => f.PreferredAddress).FirstOrDefault(a => a is not null);

    /// <summary>UDP datagrams that reached the preferred address's socket so far (clients probing it or moved there).</summary>
    public long Http3PreferredAddressDatagrams => _http3.Sum(f => f.PreferredAddressDatagrams);

    /// <summary>UDP datagrams sent from the preferred address's socket so far (probe answers, then everything for clients that moved).</summary>
    public long Http3PreferredAddressDatagramsSent => _http3.Sum(f => f.PreferredAddressDatagramsSent);

    /// <summary>Why HTTP/3 is not served, when it is not (the UDP port was taken).</summary>
    public string? Http3Problem { get; private set; }

    private void StartHttp3(IPEndPoint endPoint, Http3.Http3Application application, EmbeddedServerOptions options)
    {
        try
        {
            var preferred = options.Http3PreferredAddress is { } wanted && wanted.AddressFamily == endPoint.AddressFamily && !_http3.Any(f => f.PreferredAddress is not null)
                ? wanted
                : null;
            _http3.Add(new Http3.Http3Frontend(endPoint, _serverCertificate, application, options.Log, options.Http3AlwaysRetry, options.Http3QuicOptions, preferred)
            {
                ConnectionTap = options.Http3ConnectionTap,
            });
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            Http3Problem = options.Http3PreferredAddress is { } preferred && preferred.AddressFamily == endPoint.AddressFamily
                ? $"HTTP/3 is off on {endPoint}: the UDP port or the preferred address {preferred} is not available ({ex.Message})"
                : $"HTTP/3 is off on {endPoint}: the UDP port is not available ({ex.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        _trim?.Dispose();
        foreach (var frontend in _http3)
        {
            await frontend.DisposeAsync().ConfigureAwait(false);
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _serverCertificate.Dispose();
        CaCertificate.Dispose();
        DeleteDirectory(_ownedCertificateDirectory);
    }

    /// <summary>The ports asked for; with more than one address, a 0 becomes a number free on all of them.</summary>
    private static (int Https, int Http, int H2c) PortsFor(EmbeddedServerOptions options, IReadOnlyList<IPAddress> addresses)
    {
        if (addresses.Count == 1)
        {
            return (options.HttpsPort, options.HttpPort, options.H2cPort);
        }

        var taken = new List<int> { options.HttpsPort, options.HttpPort, options.H2cPort };
        return (
            options.HttpsPort == 0 ? LoopbackPorts.PickShared(addresses, udpToo: true, taken) : options.HttpsPort,
            options.HttpPort == 0 ? LoopbackPorts.PickShared(addresses, udpToo: false, taken) : options.HttpPort,
            options.H2cPort == 0 ? LoopbackPorts.PickShared(addresses, udpToo: false, taken) : options.H2cPort);
    }

    private static void ConfigureLimits(KestrelServerLimits limits)
    {
        limits.MaxRequestBodySize = null;
        limits.Http2.MaxStreamsPerConnection = 100;
        // A person typing a request by hand is slower than Kestrel's defaults assume.
        limits.MinRequestBodyDataRate = null;
        limits.MinResponseDataRate = null;
        limits.RequestHeadersTimeout = TimeSpan.FromMinutes(5);
        limits.KeepAliveTimeout = TimeSpan.FromMinutes(5);
    }

    private static ListenOptions Listen(KestrelServerOptions kestrel, IPAddress address, int port, HttpProtocols protocols)
    {
        ListenOptions? captured = null;
        kestrel.Listen(address, port, listen =>
        {
            listen.Protocols = protocols;
            captured = listen;
        });
        return captured!;
    }

    private static string HostFor(IPAddress address)
    {
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "localhost";
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    private static void DeleteDirectory(string? directory)
    {
        if (directory is null)
        {
            return;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing a dispose over it is not.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
