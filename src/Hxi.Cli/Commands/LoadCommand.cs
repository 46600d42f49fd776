using System.CommandLine;
using Hxi.Net.Client;

namespace Hxi.Cli.Commands;

/// <summary><c>hxi load</c>: h2load's benchmark over hxi's own HTTP/1.1, HTTP/2 and HTTP/3, with percentiles and named errors.</summary>
public static class LoadCommand
{
    public static Command Create(TextWriter? stdout, TextWriter? stderr)
    {
        var urls = new Argument<string[]>("URL") { Description = "one or more URLs of one origin, requested in turn", Arity = ArgumentArity.OneOrMore };
        var requests = new Option<long?>("--requests", "-n") { Description = "requests to send in all (default 1 without -D)", HelpName = "N" };
        var duration = new Option<double?>("--duration", "-D") { Description = "send requests for this many seconds instead of -n", HelpName = "SECONDS" };
        var clients = new Option<int>("--clients", "-c") { Description = "connections (clients)", DefaultValueFactory = _ => 1, HelpName = "N" };
        var streams = new Option<int>("--max-concurrent-streams", "-m") { Description = "requests in flight at once on each connection (HTTP/1.1: one)", DefaultValueFactory = _ => 1, HelpName = "N" };
        var threads = new Option<int?>("--threads", "-t") { Description = "threads to spread the clients over (default: the .NET thread pool)", HelpName = "N" };
        var rps = new Option<double?>("--rps") { Description = "requests started per second, over all clients (default: as fast as answers come)", HelpName = "RATE" };
        var warmUp = new Option<double?>("--warm-up") { Description = "with -D: send for this many seconds first without counting", HelpName = "SECONDS" };
        var timeout = new Option<double?>("--timeout") { Description = "a request not answered within SECONDS is reset and counted as a timeout", HelpName = "SECONDS" };
        var connectTimeout = new Option<double?>("--connect-timeout") { Description = "TCP connect (or QUIC handshake) limit in seconds", HelpName = "SECONDS" };
        var method = new Option<string?>("--method", "-X") { Description = "request method (default GET, or POST with a body)" };
        var header = new Option<string[]>("--header", "-H") { Description = "'Name: value' request header (repeatable)", AllowMultipleArgumentsPerToken = false };
        var data = new Option<string?>("--data", "-d") { Description = "request body: TEXT, @FILE or @- for stdin" };
        var json = new Option<string?>("--json") { Description = "JSON request body: TEXT or @FILE (sets Content-Type and Accept)" };
        var http11 = new Option<bool>("--http1.1") { Description = "HTTP/1.1 only" };
        var http2 = new Option<bool>("--http2") { Description = "HTTP/2: ALPN on https, h2c Upgrade on http" };
        var priorKnowledge = new Option<bool>("--http2-prior-knowledge") { Description = "HTTP/2 without negotiation (h2c on http)" };
        var http3 = new Option<bool>("--http3", "--http3-only") { Description = "HTTP/3 over hxi's QUIC, with no fallback (a load run measures the protocol asked for)" };
        var insecure = new Option<bool>("--insecure", "-k") { Description = "do not verify the server certificate" };
        var caCert = new Option<string?>("--cacert") { Description = "trust the CA certificates in this PEM file" };
        var output = new Option<string?>("--output", "-o") { Description = "write every figure of the run as JSON to FILE (- for stdout), for scripts; not --json FILE, which is the JSON request body as in one-shot mode", HelpName = "FILE" };
        var quiet = new Option<bool>("--silent", "-s") { Description = "no live progress line" };

        var command = new Command("load", "Benchmark a server as h2load does: -n requests (or -D seconds) over -c connections with -m streams each; percentiles, status codes, errors by name");
        command.Add(urls);
        foreach (var option in new Option[] { requests, duration, clients, streams, threads, rps, warmUp, timeout, connectTimeout, method, header, data, json, http11, http2, priorKnowledge, http3, insecure, caCert, output, quiet })
        {
            command.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var modes = new[] { result.GetValue(http11), result.GetValue(http2), result.GetValue(priorKnowledge), result.GetValue(http3) }.Count(x => x);
            if (modes > 1)
            {
                throw new HxiException(FailureKind.Usage, "use only one of --http1.1, --http2, --http2-prior-knowledge and --http3");
            }

            var invocation = new LoadInvocation
            {
                Urls = result.GetValue(urls) ?? [],
                RequestCount = result.GetValue(requests),
                Duration = result.GetValue(duration),
                Clients = result.GetValue(clients),
                StreamsPerClient = result.GetValue(streams),
                Threads = result.GetValue(threads),
                RequestsPerSecond = result.GetValue(rps),
                WarmUp = result.GetValue(warmUp),
                Timeout = result.GetValue(timeout),
                ConnectTimeout = result.GetValue(connectTimeout),
                Method = result.GetValue(method),
                Headers = result.GetValue(header) ?? [],
                Data = result.GetValue(data),
                Json = result.GetValue(json),
                Protocol = result.GetValue(http11) ? ProtocolMode.Http11
                    : result.GetValue(http2) ? ProtocolMode.Http2
                    : result.GetValue(priorKnowledge) ? ProtocolMode.Http2PriorKnowledge
                    : result.GetValue(http3) ? ProtocolMode.Http3Only
                    : ProtocolMode.Auto,
                Insecure = result.GetValue(insecure),
                CaCertificate = result.GetValue(caCert),
                OutputFile = result.GetValue(output),
                Silent = result.GetValue(quiet),
            };
            return await LoadRunner.RunAsync(invocation, stdout ?? Console.Out, stderr ?? Console.Error, ct);
        });
        return command;
    }
}
