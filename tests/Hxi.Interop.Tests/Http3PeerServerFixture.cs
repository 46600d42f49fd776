using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hxi.Server;

namespace Hxi.Interop.Tests;

/// <summary>hxi serve as a person runs it (127.0.0.1 and ::1, free ports), for HTTP/3 clients that are not ours.</summary>
public sealed class Http3PeerServerFixture : IAsyncLifetime
{
    public EmbeddedServer Server { get; private set; } = null!;

    public ConcurrentLines Log { get; } = new();

    public string CaPath => Server.CaCertificatePath;

    public int Port => Server.HttpsUri.Port;

    /// <summary>base64(SHA-256(SubjectPublicKeyInfo)) of the server certificate, for Chromium's SPKI pin.</summary>
    public string ServerSpki
    {
        get
        {
            using var leaf = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Path.GetDirectoryName(CaPath)!, "server.pem"));
            return Convert.ToBase64String(SHA256.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo()));
        }
    }

    public async Task InitializeAsync() =>
        Server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { BothLoopbacks = true, Log = Log.Add });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Lines added from any thread.</summary>
public sealed class ConcurrentLines
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

[CollectionDefinition(Name)]
public sealed class Http3PeerServerCollection : ICollectionFixture<Http3PeerServerFixture>
{
    public const string Name = "hxi serve for other HTTP/3 clients";
}
