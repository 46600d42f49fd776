using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Server.Tests;

/// <summary>Servers of their own, for what the shared fixture cannot show: files, cleanup, ports.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Start_WritesPemFilesIntoTheGivenDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("hxi-server-test-").FullName;
        try
        {
            await using (var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { CertificateDirectory = directory }))
            {
                Assert.Equal(Path.Combine(directory, "ca.pem"), server.CaCertificatePath);
                using var fromFile = X509CertificateLoader.LoadCertificateFromFile(server.CaCertificatePath);
                Assert.Equal(server.CaCertificate.Thumbprint, fromFile.Thumbprint);
                using var leaf = X509Certificate2.CreateFromPemFile(
                    Path.Combine(directory, "server.pem"), Path.Combine(directory, "server.key"));
                Assert.True(leaf.HasPrivateKey);
            }

            // A directory the caller chose is the caller's to clean up.
            Assert.True(File.Exists(Path.Combine(directory, "ca.pem")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ServerCertificate_ChainsToTheCaAndNamesLocalhost()
    {
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions());
        using var leaf = X509CertificateLoader.LoadCertificateFromFile(
            Path.Combine(Path.GetDirectoryName(server.CaCertificatePath)!, "server.pem"));
        using var chain = new X509Chain { ChainPolicy = ServerFixture.TrustOnly(server.CaCertificate) };

        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation)));
        Assert.True(leaf.MatchesHostname("localhost"));
        Assert.True(leaf.MatchesHostname("127.0.0.1"));
        Assert.True(leaf.MatchesHostname("::1"));
        Assert.Equal("CN=hxi local CA", server.CaCertificate.Subject);
        Assert.True(leaf.NotBefore < DateTime.Now && leaf.NotAfter > DateTime.Now.AddDays(28));
    }

    [Fact]
    public async Task Dispose_DeletesTheTemporaryCertificateDirectory()
    {
        var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions());
        var directory = Path.GetDirectoryName(server.CaCertificatePath)!;
        Assert.True(File.Exists(Path.Combine(directory, "server.key")));

        await server.DisposeAsync();

        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task Start_UsesTheRequestedPortsAndAddress()
    {
        var ports = FreePorts(3);
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions
        {
            Address = IPAddress.Loopback,
            HttpsPort = ports[0],
            HttpPort = ports[1],
            H2cPort = ports[2],
        });

        Assert.Equal(new Uri($"https://localhost:{ports[0]}/"), server.HttpsUri);
        Assert.Equal(new Uri($"http://localhost:{ports[1]}/"), server.HttpUri);
        Assert.Equal(new Uri($"http://localhost:{ports[2]}/"), server.H2cUri);
        using var client = new HttpClient();
        Assert.StartsWith("hello from hxi serve", await client.GetStringAsync(server.HttpUri), StringComparison.Ordinal);
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
        {
            listener.Start();
        }

        var ports = listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners)
        {
            listener.Stop();
        }

        return ports;
    }
}
