using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Hxi.Net.Client;

namespace Hxi.Net.Transport;

/// <summary>An open byte stream to a server and what was learnt while opening it.</summary>
public sealed record TransportConnection(Stream Stream, Socket Socket, ConnectionInfo Info) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        Socket.Dispose();
    }
}

/// <summary>Resolves, connects (IPv4 or IPv6) and, for https, runs the TLS handshake with ALPN.</summary>
public static class TransportConnector
{
    public static async Task<TransportConnection> ConnectAsync(Uri url, IReadOnlyList<string> alpn, ClientOptions options, CancellationToken ct)
    {
        var host = url.IdnHost.Trim('[', ']');
        var clock = Stopwatch.StartNew();
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        }
        catch (SocketException ex)
        {
            throw new HxiException(FailureKind.Connect, $"could not resolve host '{host}': {SocketErrorText.Describe(ex)}", ex);
        }

        var dnsTime = clock.Elapsed;
        var socket = await ConnectSocketAsync(addresses, url.Port, host, options, ct);
        var connectTime = clock.Elapsed - dnsTime;
        var info = new ConnectionInfo
        {
            Host = host,
            Port = url.Port,
            RemoteEndPoint = socket.RemoteEndPoint,
            LocalEndPoint = socket.LocalEndPoint,
            Protocol = "http/1.1",
            DnsTime = dnsTime,
            ConnectTime = connectTime,
        };

        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return new TransportConnection(stream, socket, info);
        }

        try
        {
            var tls = await AuthenticateAsync(stream, socket, host, alpn, options, ct);
            var tlsTime = clock.Elapsed - dnsTime - connectTime;
            var chosen = tls.NegotiatedApplicationProtocol.Protocol.Length == 0 ? null : tls.NegotiatedApplicationProtocol.ToString();
            return new TransportConnection(tls, socket, info with
            {
                Protocol = chosen ?? "http/1.1",
                Tls = DescribeTls(tls, alpn, chosen),
                TlsTime = tlsTime,
            });
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<Socket> ConnectSocketAsync(IPAddress[] addresses, int port, string host, ClientOptions options, CancellationToken ct)
    {
        if (addresses.Length == 0)
        {
            throw new HxiException(FailureKind.Connect, $"host '{host}' has no addresses");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.ConnectTimeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await ConnectBlockingAsync(socket, new IPEndPoint(address, port), timeout.Token);
                return socket;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                socket.Dispose();
                throw new HxiException(FailureKind.Timeout, $"connect to {FormatEndPoint(address, port)} timed out after {options.ConnectTimeout!.Value.TotalSeconds:0.###} s");
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
        }

        var tried = string.Join(", ", addresses.Select(a => FormatEndPoint(a, port)));
        throw new HxiException(FailureKind.Connect, $"could not connect to {host} ({tried}): {(last is null ? "no address" : SocketErrorText.Describe(last))}", last);
    }

    /// <summary>
    /// Connects with a blocking call on a pool thread. On Linux, .NET switches a socket to non-blocking
    /// mode for good after its first asynchronous operation, and then emulates blocking reads with an
    /// epoll wake-up and a spin per read: a 100 MB download cost 13,000 sched_yield calls that way.
    /// Keeping every operation on the connection synchronous lets the reading thread block in recv.
    /// </summary>
    private static async Task ConnectBlockingAsync(Socket socket, IPEndPoint endPoint, CancellationToken ct)
    {
        await using (ct.Register(socket.Dispose))
        {
            try
            {
                await Task.Run(() => socket.Connect(endPoint), CancellationToken.None);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException && ct.IsCancellationRequested)
            {
                throw new OperationCanceledException(ct);
            }
        }
    }

    private static async Task<SslStream> AuthenticateAsync(Stream inner, Socket socket, string host, IReadOnlyList<string> alpn, ClientOptions options, CancellationToken ct)
    {
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        var sslOptions = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = alpn.Select(p => new SslApplicationProtocol(p)).ToList(),
            EnabledSslProtocols = SslProtocols.None,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };

        string? validationFailure = null;
        if (options.Insecure)
        {
            sslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else
        {
            if (options.CaCertificatePath is { } caPath)
            {
                sslOptions.CertificateChainPolicy = CertificateTrust.CustomRootPolicy(caPath);
            }

            sslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                validationFailure = CertificateTrust.Describe(errors, certificate, chain, host);
                return errors == SslPolicyErrors.None;
            };
        }

        try
        {
            // Synchronous on purpose (see ConnectBlockingAsync); a cancelled handshake ends by closing the socket.
            await using (ct.Register(socket.Dispose))
            {
                try
                {
                    await Task.Run(() => tls.AuthenticateAsClient(sslOptions), CancellationToken.None);
                }
                catch (Exception ex) when (ct.IsCancellationRequested && ex is IOException or ObjectDisposedException or AuthenticationException)
                {
                    throw new OperationCanceledException(ct);
                }
            }
            return tls;
        }
        catch (AuthenticationException ex)
        {
            await tls.DisposeAsync();
            var reason = validationFailure ?? ex.InnerException?.Message ?? ex.Message;
            throw new HxiException(FailureKind.Tls, $"TLS handshake with {host} failed: {reason}", ex);
        }
        catch (IOException ex)
        {
            await tls.DisposeAsync();
            throw new HxiException(FailureKind.Tls, $"TLS handshake with {host} failed: {ex.Message}", ex);
        }
    }

    private static TlsInfo DescribeTls(SslStream tls, IReadOnlyList<string> alpn, string? chosen)
    {
        var certificate = tls.RemoteCertificate as X509Certificate2
            ?? (tls.RemoteCertificate is { } raw ? X509CertificateLoader.LoadCertificate(raw.GetRawCertData()) : null);
#pragma warning disable SYSLIB0058 // The negotiated suite is what -v must show; the replacement properties don't name it.
        var cipher = tls.NegotiatedCipherSuite.ToString();
#pragma warning restore SYSLIB0058
        return new TlsInfo(
            DescribeProtocol(tls.SslProtocol),
            cipher,
            alpn,
            chosen,
            certificate?.Subject ?? "(none)",
            certificate?.Issuer ?? "(none)",
            certificate?.NotBefore ?? default,
            certificate?.NotAfter ?? default,
            certificate is null ? [] : CertificateTrust.SubjectAlternativeNames(certificate));
    }

    private static string DescribeProtocol(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => protocol.ToString(),
    };

    private static string FormatEndPoint(IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
