using System.Collections.Concurrent;
using Hxi.Server;

namespace Hxi.Cli.Tests.Load;

/// <summary>
/// An embedded server whose side of the story the tests can read: the line it logs as each request ends (in the order
/// they end) and how many HTTP/3 connections it accepted. A test tags its URLs with a query string to find its lines.
/// </summary>
public sealed class WatchedServerFixture : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _lines = new();
    private int _http3Connections;

    public EmbeddedServer Server { get; private set; } = null!;

    public int Http3Connections => Volatile.Read(ref _http3Connections);

    public async Task InitializeAsync() => Server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions
    {
        Log = _lines.Enqueue,
        Http3ConnectionTap = _ =>
        {
            Interlocked.Increment(ref _http3Connections);
            return null;
        },
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The request lines the server logged for URLs carrying <paramref name="tag"/>, in the order the requests ended.</summary>
    public IReadOnlyList<string> LinesFor(string tag) => [.. _lines.Where(line => line.Contains($"?{tag}", StringComparison.Ordinal))];
}
