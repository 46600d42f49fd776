using Microsoft.Extensions.Hosting;

namespace Hxi.Server;

/// <summary>
/// Replaces the console lifetime, which would print a banner and take over Ctrl+C; the embedding CLI
/// decides when the server stops.
/// </summary>
internal sealed class SilentHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
