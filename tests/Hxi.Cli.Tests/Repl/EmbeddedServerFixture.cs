using Hxi.Cli.Repl;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Server;

namespace Hxi.Cli.Tests.Repl;

/// <summary>One embedded server for the REPL tests, and a way to run a script against it in-process.</summary>
public sealed class EmbeddedServerFixture : IAsyncLifetime
{
    public EmbeddedServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions());

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Runs <paramref name="script"/> as <c>hxi repl --script</c> would, without colours; returns the exit status and the transcript.</summary>
    public async Task<(int Exit, string Output)> RunAsync(
        string script, Uri? url = null, ProtocolMode mode = ProtocolMode.Auto, bool frames = true, string? record = null, string? har = null)
    {
        var settings = new ReplSettings
        {
            Url = url ?? Server.HttpsUri,
            Mode = mode,
            CaCertificate = Server.CaCertificatePath,
            View = new WireViewOptions(frames, false, false),
            RecordFile = record,
            HarFile = har,
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exit = await ReplRunner.RunAsync(settings, new StringReader(script), output, timeout.Token);
        return (exit, output.ToString());
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedServerCollection : ICollectionFixture<EmbeddedServerFixture>
{
    public const string Name = "repl embedded server";
}
