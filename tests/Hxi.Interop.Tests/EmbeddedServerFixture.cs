using Hxi.Server;

namespace Hxi.Interop.Tests;

/// <summary>The embedded Kestrel server, started once in-process for the run (no peer program needed).</summary>
public sealed class EmbeddedServerFixture : IAsyncLifetime
{
    public EmbeddedServer Server { get; private set; } = null!;

    public string CaPath => Server.CaCertificatePath;

    public string Https(string path) => new Uri(Server.HttpsUri, path).ToString();

    public string H2c(string path) => new Uri(Server.H2cUri, path).ToString();

    public async Task InitializeAsync() => Server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions());

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class EmbeddedServerCollection : ICollectionFixture<EmbeddedServerFixture>
{
    public const string Name = "embedded server";
}
