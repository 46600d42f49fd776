using System.CommandLine;
using Hxi.Cli.Wire;
using Hxi.Server;

namespace Hxi.Cli.Commands;

/// <summary><c>hxi demo</c>: starts the embedded server in-process and shows one HTTP/2 request frame by frame.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "path to request", DefaultValueFactory = _ => "/json" };
        var hex = new Option<bool>("--hex") { Description = "add the bytes of each frame" };
        var hpack = new Option<bool>("--hpack") { Description = "add HPACK representations" };
        var http3 = new Option<bool>("--http3") { Description = "over HTTP/3 (hxi's own QUIC on both sides), with the QUIC packets" };
        var command = new Command("demo", "Start the embedded server and show an HTTP/2 request to it, frame by frame (no network needed)");
        command.Add(path);
        command.Add(hex);
        command.Add(hpack);
        command.Add(http3);
        command.SetAction(async (result, ct) =>
        {
            await using var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions(), ct);
            var url = new Uri(server.HttpsUri, result.GetValue(path));
            var overHttp3 = result.GetValue(http3);
            var options = overHttp3 ? "--http3-only --quic " : "";
            Console.Error.WriteLine($"hxi demo: an embedded server on {server.HttpsUri} for this run only, and hxi {options}--frames {url} to it");
            Console.Error.WriteLine();
            var run = new RequestInvocation
            {
                Spec = new RequestSpec { Url = url.ToString() },
                CaCertificate = server.CaCertificatePath,
                View = new WireViewOptions(true, result.GetValue(hex), result.GetValue(hpack)) { Quic = overHttp3 },
                Protocol = overHttp3 ? Hxi.Net.Client.ProtocolMode.Http3Only : Hxi.Net.Client.ProtocolMode.Auto,
                Include = true,
            };
            var exit = await RequestRunner.RunAsync(run, Console.Out, Console.Error, Console.OpenStandardOutput(), ct);
            // The server and its CA go with this process; the hint is to ones that stay.
            Console.Error.WriteLine();
            Console.Error.WriteLine("hxi demo: the server has stopped. To keep one running: hxi serve (in another terminal), then");
            Console.Error.WriteLine($"hxi demo:   hxi --cacert {Path.Combine(EmbeddedServerOptions.DefaultCertificateDirectory, "ca.pem")} {options}--frames https://localhost:8443{url.PathAndQuery}");
            return exit;
        });
        return command;
    }
}
