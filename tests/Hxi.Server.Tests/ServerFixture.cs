using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Server.Tests;

/// <summary>How a test reaches the server: which port, which HTTP version, with or without TLS.</summary>
public enum Transport
{
    Http1OverTls,
    Http2OverTls,
    Http1Cleartext,
    Http2Cleartext,
}

/// <summary>One server for the whole test run, since starting Kestrel per test would dominate the time.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly List<HttpClient> _clients = [];

    public EmbeddedServer Server { get; private set; } = null!;

    public ConcurrentLog Log { get; } = new();

    public async Task InitializeAsync() =>
        Server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { Log = Log.Add });

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
    }

    /// <summary>A client that speaks exactly the transport's HTTP version, trusting only the server's CA.</summary>
    public HttpClient Client(Transport transport, bool followRedirects = false)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = followRedirects,
            AutomaticDecompression = DecompressionMethods.None,
        };
        handler.SslOptions.CertificateChainPolicy = TrustOnly(Server.CaCertificate);
        var client = new HttpClient(handler)
        {
            BaseAddress = BaseAddress(transport),
            DefaultRequestVersion = transport is Transport.Http2OverTls or Transport.Http2Cleartext
                ? HttpVersion.Version20
                : HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>A request carrying the client's version settings, which HttpClient applies only to the Get/Post shortcuts.</summary>
    public static HttpRequestMessage Request(HttpClient client, HttpMethod method, string path) => new(method, path)
    {
        Version = client.DefaultRequestVersion,
        VersionPolicy = client.DefaultVersionPolicy,
    };

    public Uri BaseAddress(Transport transport) => transport switch
    {
        Transport.Http1OverTls or Transport.Http2OverTls => Server.HttpsUri,
        Transport.Http1Cleartext => Server.HttpUri,
        _ => Server.H2cUri,
    };

    public static X509ChainPolicy TrustOnly(X509Certificate2 authority)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            // The local CA publishes no revocation list; an online check could only fail.
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(authority);
        return policy;
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "embedded server";
}

/// <summary>The server's log lines, collected from Kestrel's threads.</summary>
public sealed class ConcurrentLog
{
    private readonly List<string> _lines = [];

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }
}
