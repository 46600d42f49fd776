using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Server.Tests;

/// <summary>How a person runs the server: on both loopbacks, on free ports, with a CA they trust once.</summary>
public sealed class LocalServerSetupTests
{
    [IPv6LoopbackFact]
    public async Task BothLoopbacks_ServeTcpAndHttp3OnTheSamePorts_On127001AndIPv6Loopback()
    {
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { BothLoopbacks = true });
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], server.Addresses);
        Assert.Equal("localhost", server.HttpsUri.Host);
        Assert.NotEqual(0, server.HttpsUri.Port);

        foreach (var address in server.Addresses)
        {
            using var client = new Http3TestClient(server, address);
            var stream = client.Get("/json");
            Assert.True(client.Run(() => client.Ended(stream)), $"no HTTP/3 answer on {address}");
            Assert.Equal("200", client.Status(stream));

            var handler = new SocketsHttpHandler();
            handler.SslOptions.CertificateChainPolicy = ServerFixture.TrustOnly(server.CaCertificate);
            handler.SslOptions.TargetHost = "localhost";
            using var http = new HttpClient(handler);
            var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            foreach (var uri in new[] { server.HttpsUri, server.HttpUri, server.H2cUri })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{uri.Scheme}://{host}:{uri.Port}/json")
                {
                    Version = uri == server.H2cUri ? HttpVersion.Version20 : HttpVersion.Version11,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task TheCaInACertificateFolder_IsKeptAcrossStarts_AndSignsEachNewServerCertificate()
    {
        var folder = Directory.CreateTempSubdirectory("hxi-ca-").FullName;
        try
        {
            string firstThumbprint;
            await using (var first = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { CertificateDirectory = folder, Http3 = false }))
            {
                firstThumbprint = first.CaCertificate.Thumbprint;
            }

            var firstServerPem = await File.ReadAllTextAsync(Path.Combine(folder, "server.pem"));
            await using var second = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { CertificateDirectory = folder, Http3 = false });
            Assert.Equal(firstThumbprint, second.CaCertificate.Thumbprint);
            var serverPem = await File.ReadAllTextAsync(Path.Combine(folder, "server.pem"));
            Assert.NotEqual(firstServerPem, serverPem);

            // A client trusting the CA file from the first start accepts the second start's server.
            using var trusted = X509CertificateLoader.LoadCertificateFromFile(second.CaCertificatePath);
            var handler = new SocketsHttpHandler();
            handler.SslOptions.CertificateChainPolicy = ServerFixture.TrustOnly(trusted);
            using var http = new HttpClient(handler);
            using var response = await http.GetAsync(new Uri(second.HttpsUri, "/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "ca.key")));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>A test that needs ::1; skipped with the reason where the machine has none (a container with IPv6 off).</summary>
public sealed class IPv6LoopbackFactAttribute : FactAttribute
{
    public IPv6LoopbackFactAttribute()
    {
        if (!CanBindIPv6Loopback())
        {
            Skip = "this machine has no ::1";
        }
    }

    private static bool CanBindIPv6Loopback()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
