using Hxi.Net.Client;

namespace Hxi.Net.Tests;

/// <summary>Each TLS failure names its cause in one line and maps to the TLS exit status.</summary>
public class TlsFailureTests
{
    [Fact]
    public async Task ExpiredCertificate_IsRefused_SayingExpired()
    {
        var (leaf, ca) = TlsTestServer.MakeChain("localhost", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        var error = await ConnectAndFail(leaf, ca, "localhost");
        Assert.Contains("expired", error.Message);
    }

    [Fact]
    public async Task NameMismatch_IsRefused_NamingBothNames()
    {
        var (leaf, ca) = TlsTestServer.MakeChain("example.test", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var error = await ConnectAndFail(leaf, ca, "localhost");
        Assert.Contains("name mismatch", error.Message);
        Assert.Contains("example.test", error.Message);
    }

    [Fact]
    public async Task UnknownCa_IsRefused_SuggestingCacert()
    {
        var (leaf, _) = TlsTestServer.MakeChain("localhost", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var error = await ConnectAndFail(leaf, caPath: null, "localhost");
        Assert.Contains("not trusted", error.Message);
        Assert.Contains("--cacert", error.Message);
    }

    [Fact]
    public async Task Insecure_AcceptsAnyCertificate()
    {
        var (leaf, _) = TlsTestServer.MakeChain("example.test", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        await using var server = new TlsTestServer(leaf);
        var url = new Uri($"https://localhost:{server.Port}/");
        await using var transport = await Transport.TransportConnector.ConnectAsync(url, ["h2"], new ClientOptions { Insecure = true }, CancellationToken.None);
        Assert.Equal("h2", transport.Info.Tls?.AlpnChosen);
        Assert.Equal("CN=example.test", transport.Info.Tls?.CertificateSubject);
    }

    private static async Task<HxiException> ConnectAndFail(System.Security.Cryptography.X509Certificates.X509Certificate2 leaf, string? caPath, string host)
    {
        await using var server = new TlsTestServer(leaf);
        var url = new Uri($"https://{host}:{server.Port}/");
        var options = new ClientOptions { CaCertificatePath = caPath };
        var error = await Assert.ThrowsAsync<HxiException>(() => Transport.TransportConnector.ConnectAsync(url, ["h2"], options, CancellationToken.None));
        Assert.Equal(FailureKind.Tls, error.Kind);
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }
}
