using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Interop.Tests;

/// <summary>
/// A TLS listener on 127.0.0.1 whose certificate is wrong in one chosen way (a name that isn't 127.0.0.1, or
/// expired), signed by its own CA so that --cacert makes everything else valid. It only handshakes, then hangs up.
/// Needed because the kit's shared certificate names every loopback address, so no peer can produce a mismatch.
/// </summary>
public sealed class MisfitTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _leaf;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly string _directory;

    public MisfitTlsServer(string dnsName, bool expired)
    {
        _directory = Directory.CreateTempSubdirectory("hxi-misfit-").FullName;
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=hxi misfit CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
        File.WriteAllText(CaPath, ca.ExportCertificatePem() + "\n");

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={dnsName}", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        var (notBefore, notAfter) = expired ? (now.AddDays(-10), now.AddDays(-1)) : (now.AddDays(-1), now.AddDays(10));
        using var leaf = leafRequest.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        // SslStream on Linux wants a certificate whose key it can export to OpenSSL: round-trip through PKCS#12.
        _leaf = X509CertificateLoader.LoadPkcs12(leaf.CopyWithPrivateKey(leafKey).Export(X509ContentType.Pkcs12), null);

        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string CaPath => Path.Combine(_directory, "ca.pem");

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            await using var tls = new SslStream(client.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = _leaf,
                        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                    },
                    _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
            {
                // The client refused our certificate, which is what the tests want.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _listener.Dispose();
        _leaf.Dispose();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
