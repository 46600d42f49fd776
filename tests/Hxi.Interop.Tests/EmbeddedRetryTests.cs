using Hxi.Server;

namespace Hxi.Interop.Tests;

/// <summary>`hxi serve --retry`: every new HTTP/3 client first gets a Retry and comes back with its token (RFC 9000 8.1.2).</summary>
[Trait("Category", "Interop")]
public sealed class EmbeddedRetryTests
{
    [Fact]
    public async Task AlwaysRetry_SendsARetry_AndTheRequestStillSucceeds()
    {
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { Http3AlwaysRetry = true });
        Assert.True(server.Http3Enabled, server.Http3Problem);

        var result = await HxiRunner.RunAsync("--http3-only", "--quic", "--cacert", server.CaCertificatePath, new Uri(server.HttpsUri, "/json").ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"proto\"", result.StdOut);
        Assert.Contains("recv Retry packet", result.StdErr);
    }
}
