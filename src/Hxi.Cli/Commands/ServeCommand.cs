using System.CommandLine;
using System.Net;
using Hxi.Server;

namespace Hxi.Cli.Commands;

/// <summary><c>hxi serve</c>: the embedded httpbin-like server, on loopback unless told otherwise.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var address = new Option<string>("--address") { Description = "address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var httpsPort = new Option<int>("--https-port") { Description = "HTTPS port (HTTP/1.1 and HTTP/2 by ALPN)", DefaultValueFactory = _ => 8443 };
        var httpPort = new Option<int>("--http-port") { Description = "cleartext HTTP/1.1 port", DefaultValueFactory = _ => 8080 };
        var h2cPort = new Option<int>("--h2c-port") { Description = "h2c (HTTP/2 by prior knowledge) port", DefaultValueFactory = _ => 8082 };
        var certDir = new Option<string?>("--cert-dir") { Description = "where ca.pem, server.pem and server.key are written (default: a temporary directory)" };
        var command = new Command("serve", "Run the embedded test server (/, /json, /headers, /echo, /status/N, /redirect/N, /bytes/N, /stream/N, /delay/MS, /trailers, /bigheaders, /reset, /gzip)");
        command.Add(address);
        command.Add(httpsPort);
        command.Add(httpPort);
        command.Add(h2cPort);
        command.Add(certDir);
        command.SetAction(async (result, ct) =>
        {
            if (!IPAddress.TryParse(result.GetValue(address), out var ip))
            {
                Console.Error.WriteLine($"hxi: error: --address '{result.GetValue(address)}' is not an IP address");
                return 2;
            }

            EmbeddedServer server;
            try
            {
                server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions
                {
                    Address = ip,
                    HttpsPort = result.GetValue(httpsPort),
                    HttpPort = result.GetValue(httpPort),
                    H2cPort = result.GetValue(h2cPort),
                    CertificateDirectory = result.GetValue(certDir),
                    Log = line => Console.Out.WriteLine(line),
                }, ct);
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
            Console.Out.WriteLine($"           {server.HttpUri} (HTTP/1.1)");
            Console.Out.WriteLine($"           {server.H2cUri} (h2c, prior knowledge)");
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
}
