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
        var command = new Command("demo", "Start the embedded server and show an HTTP/2 request to it, frame by frame (no network needed)");
        command.Add(path);
        command.Add(hex);
        command.Add(hpack);
        command.SetAction(async (result, ct) =>
        {
            await using var server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions(), ct);
            var url = new Uri(server.HttpsUri, result.GetValue(path));
            Console.Error.WriteLine($"hxi demo: embedded server on {server.HttpsUri} (CA {server.CaCertificatePath})");
            Console.Error.WriteLine($"hxi demo: hxi --frames --cacert <CA> {url}");
            Console.Error.WriteLine();
            var run = new RequestInvocation
            {
                Spec = new RequestSpec { Url = url.ToString() },
                CaCertificate = server.CaCertificatePath,
                View = new WireViewOptions(true, result.GetValue(hex), result.GetValue(hpack)),
                Include = true,
            };
            return await RequestRunner.RunAsync(run, Console.Out, Console.Error, Console.OpenStandardOutput(), ct);
        });
        return command;
    }
}
