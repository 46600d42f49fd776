using System.CommandLine;
using System.Net;
using Hxi.Server;

namespace Hxi.Cli.Commands;

/// <summary><c>hxi serve</c>: the embedded httpbin-like server, on loopback unless told otherwise.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var address = new Option<string?>("--address") { Description = "address to bind (default: both 127.0.0.1 and ::1, as localhost)" };
        var port = new Option<int?>("--port") { Description = "HTTPS and HTTP/3 port; 0 picks free ports for every listener and prints them" };
        var httpsPort = new Option<int>("--https-port") { Description = "HTTPS port (HTTP/1.1 and HTTP/2 by ALPN, HTTP/3 on UDP)", DefaultValueFactory = _ => 8443 };
        var httpPort = new Option<int>("--http-port") { Description = "cleartext HTTP/1.1 port", DefaultValueFactory = _ => 8080 };
        var h2cPort = new Option<int>("--h2c-port") { Description = "h2c (HTTP/2 by prior knowledge) port", DefaultValueFactory = _ => 8082 };
        var certDir = new Option<string?>("--cert-dir")
        {
            Description = "where the CA (ca.pem, ca.key, kept and reused) and server.pem, server.key are written (default: $XDG_DATA_HOME/hxi or ~/.local/share/hxi)",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no line per request" };
        var retry = new Option<bool>("--retry") { Description = "HTTP/3: answer every new client with a Retry, so it proves its address first (RFC 9000 8.1.2)" };
        var preferredAddress = new Option<string?>("--preferred-address")
        {
            Description = "HTTP/3: also listen at HOST:PORT and offer it to clients as the server's preferred address (RFC 9000 9.6); port 0 picks a free one",
            HelpName = "HOST:PORT",
        };
        var noEcn = new Option<bool>("--no-ecn") { Description = "HTTP/3: send datagrams unmarked (Not-ECT) instead of ECT(0) and skip ECN validation (RFC 9000 13.4)" };
        var frames = new Option<bool>("--frames") { Description = "show every HTTP/3 frame the server receives and sends, with header fields" };
        var hex = new Option<bool>("--hex") { Description = "add an xxd-style dump of each frame's bytes" };
        var quic = new Option<bool>("--quic") { Description = "show every QUIC datagram, packet and frame the server receives and sends" };
        var qpack = new Option<bool>("--qpack") { Description = "show QPACK field line representations and encoder/decoder instructions" };
        var qlog = new Option<string?>("--qlog") { Description = "write a qlog file (DIR/<ODCID>_server.sqlog, for qvis) per QUIC connection (or set QLOGDIR)" };
        var command = new Command("serve", "Run the embedded test server (/, /json, /headers, /echo, /status/N, /redirect/N, /bytes/N, /stream/N, /delay/MS, /trailers, /bigheaders, /reset, /gzip)");
        command.Add(address);
        command.Add(port);
        command.Add(httpsPort);
        command.Add(httpPort);
        command.Add(h2cPort);
        command.Add(certDir);
        command.Add(quiet);
        command.Add(retry);
        command.Add(preferredAddress);
        command.Add(noEcn);
        command.Add(frames);
        command.Add(hex);
        command.Add(quic);
        command.Add(qpack);
        command.Add(qlog);
        command.SetAction(async (result, ct) =>
        {
            var addressText = result.GetValue(address);
            IPAddress? ip = null;
            if (addressText is not null && !IPAddress.TryParse(addressText, out ip))
            {
                Console.Error.WriteLine($"hxi: error: --address '{addressText}' is not an IP address");
                return 2;
            }

            var chosenPort = result.GetValue(port);
            if (chosenPort is < 0 or > 65535)
            {
                Console.Error.WriteLine($"hxi: error: --port {chosenPort} is not a port number (0-65535)");
                return 2;
            }

            IPEndPoint? preferred = null;
            if (result.GetValue(preferredAddress) is { } preferredText
                && PreferredAddressProblem(preferredText, ip, chosenPort == 0 ? 0 : chosenPort ?? result.GetValue(httpsPort), out preferred) is { } problem)
            {
                Console.Error.WriteLine($"hxi: error: --preferred-address {problem}");
                return 2;
            }

            var ports = chosenPort switch
            {
                0 => (Https: 0, Http: 0, H2c: 0),
                { } fixedPort => (Https: fixedPort, Http: result.GetValue(httpPort), H2c: result.GetValue(h2cPort)),
                null => (Https: result.GetValue(httpsPort), Http: result.GetValue(httpPort), H2c: result.GetValue(h2cPort)),
            };

            Func<IPEndPoint, Hxi.Protocols.Trace.IWireTap?>? wireTap;
            try
            {
                var view = new Wire.WireViewOptions(result.GetValue(frames), result.GetValue(hex), Hpack: false)
                {
                    Quic = result.GetValue(quic),
                    Qpack = result.GetValue(qpack),
                };
                wireTap = ServeWireView.TapFactory(view, Wire.QlogDirectory.Resolve(result.GetValue(qlog)), Console.Out);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                Console.Error.WriteLine($"hxi: error: qlog directory (--qlog or QLOGDIR): {ex.Message}");
                return 2;
            }

            EmbeddedServer server;
            try
            {
                server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions
                {
                    Address = ip ?? IPAddress.Loopback,
                    BothLoopbacks = ip is null,
                    HttpsPort = ports.Https,
                    HttpPort = ports.Http,
                    H2cPort = ports.H2c,
                    CertificateDirectory = result.GetValue(certDir) ?? EmbeddedServerOptions.DefaultCertificateDirectory,
                    Log = result.GetValue(quiet) ? null : line => Console.Out.WriteLine(line),
                    Http3ConnectionTap = wireTap,
                    Http3AlwaysRetry = result.GetValue(retry),
                    Http3PreferredAddress = preferred,
                    Http3QuicOptions = result.GetValue(noEcn) ? quicOptions => quicOptions with { EcnMarking = false } : null,
                    TrimMemoryWhenIdle = true,
                }, ct);
            }
            catch (UnauthorizedAccessException ex)
            {
                Console.Error.WriteLine($"hxi: error: cannot write the certificates: {ex.Message} (choose another folder with --cert-dir)");
                return 2;
            }
            catch (IOException ex)
            {
                // Kestrel reports a port in use as an IOException; one line, not its stack trace.
                Console.Error.WriteLine($"hxi: error: {ex.Message.Split('\n')[0]} (choose another with --https-port, --http-port or --h2c-port)");
                return 2;
            }

            await using var running = server;
            Console.Out.WriteLine($"hxi serve: {server.HttpsUri} (HTTP/1.1 + HTTP/2 over TLS)");
            Console.Out.WriteLine(server.Http3Enabled
                ? $"           {server.HttpsUri} (HTTP/3 over QUIC, UDP, same port)"
                : $"           {server.Http3Problem}");
            if (preferred is not null)
            {
                Console.Out.WriteLine(server.Http3PreferredAddress is { } offered
                    ? $"           HTTP/3 preferred address: {offered} (offered to clients, RFC 9000 9.6)"
                    : $"           no HTTP/3 preferred address: no HTTP/3 listener of its address family");
            }

            Console.Out.WriteLine($"           {server.HttpUri} (HTTP/1.1)");
            Console.Out.WriteLine($"           {server.H2cUri} (h2c, prior knowledge)");
            Console.Out.WriteLine($"listening on {string.Join(" and ", server.Addresses.Select(a => a.ToString()))}");
            Console.Out.WriteLine($"CA certificate: {server.CaCertificatePath}");
            Console.Out.WriteLine($"  try: hxi --cacert {server.CaCertificatePath} --frames {server.HttpsUri}json");
            Console.Out.WriteLine("Ctrl-C stops the server.");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Console.Out.WriteLine("hxi serve: stopped");
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// What is wrong with --preferred-address (null when nothing is): a HOST:PORT with an IP address a client can send
    /// to, of the family served, other than the listening address itself.
    /// </summary>
    internal static string? PreferredAddressProblem(string text, IPAddress? listening, int httpsPort, out IPEndPoint? preferred)
    {
        preferred = null;
        if (!IPEndPoint.TryParse(text, out var parsed) || !text.Contains(':', StringComparison.Ordinal))
        {
            return $"'{text}' is not HOST:PORT with an IP address (such as 127.0.0.1:9443 or [::1]:9443; port 0 picks a free one)";
        }

        if (parsed.Address.Equals(IPAddress.Any) || parsed.Address.Equals(IPAddress.IPv6Any))
        {
            return $"{parsed} is the unspecified address; give one a client can send to (RFC 9000 18.2)";
        }

        if (listening is not null && listening.AddressFamily != parsed.Address.AddressFamily)
        {
            return $"{parsed} is not of the family of --address {listening}: the client moves within its address family (RFC 9000 9.6.3)";
        }

        var listeningAddresses = listening is null ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : new[] { listening };
        if (parsed.Port != 0 && parsed.Port == httpsPort && listeningAddresses.Any(a => a.Equals(parsed.Address)))
        {
            return $"{parsed} is the listening address itself; a preferred address must differ from it";
        }

        preferred = parsed;
        return null;
    }
}
