using System.CommandLine;
using System.Globalization;
using Hxi.Cli.Check;
using Hxi.Cli.Output;
using Hxi.Net.Client;
using Hxi.Net.Conformance;
using Hxi.Net.Conformance.Http2;
using Hxi.Net.Conformance.Http3;
using Hxi.Net.Conformance.Quic;

namespace Hxi.Cli.Commands;

/// <summary>
/// <c>hxi check URL [SECTION...]</c>: sends a server the conformance cases of RFC 9113 and RFC 7541 (or, with --http3, RFC 9114 and RFC 9204) and says, section
/// by section, which requirements it meets. Exit 0 only if no case failed, 6 if one did.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("URL") { Description = "the server: https://host:port/path (h2 over TLS) or http://host:port/path (h2c); the path should answer 200 with a body" };
        var sections = new Argument<string[]>("SECTION") { Description = "only these RFC sections (9113/6.5 matches 6.5 and 6.5.x, 7541 the whole RFC) or case ids (9113-6.5-2)", Arity = ArgumentArity.ZeroOrMore };
        var http2 = new Option<bool>("--http2") { Description = "HTTP/2 over TLS (ALPN h2), whatever the URL's scheme" };
        var h2c = new Option<bool>("--h2c") { Description = "HTTP/2 over cleartext TCP with prior knowledge, whatever the URL's scheme" };
        var http3 = new Option<bool>("--http3", "--http3-only") { Description = "HTTP/3 and QPACK cases (RFC 9114, RFC 9204) and QUIC transport cases (RFC 9000, RFC 9001) over QUIC with ALPN h3, whatever the URL's scheme" };
        var strict = new Option<bool>("--strict") { Description = "also run the SHOULD-level cases" };
        var junit = new Option<string?>("--junit") { Description = "write the results as JUnit XML to FILE", HelpName = "FILE" };
        var json = new Option<string?>("--json") { Description = "write the results as JSON to FILE", HelpName = "FILE" };
        var timeout = new Option<double>("--timeout") { Description = "seconds a case waits for the server's answer", HelpName = "S", DefaultValueFactory = _ => 2 };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "show every case's frames, passed ones too" };
        var dryRun = new Option<bool>("--dry-run") { Description = "list the cases that would run, without connecting" };
        var insecure = new Option<bool>("--insecure", "-k") { Description = "do not verify the server's certificate" };
        var caCert = new Option<string?>("--cacert") { Description = "trust this CA certificate (PEM) for the server", HelpName = "FILE" };
        var command = new Command("check", "Check a server's conformance to HTTP/2 (RFC 9113) and HPACK (RFC 7541), or with --http3 to HTTP/3 (RFC 9114) and QPACK (RFC 9204), case by case, RFC section by section")
        {
            url, sections, http2, h2c, http3, strict, junit, json, timeout, verbose, dryRun, insecure, caCert,
        };
        command.SetAction(async (result, ct) =>
        {
            var stdout = result.InvocationConfiguration.Output;
            var stderr = result.InvocationConfiguration.Error;
            if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
            {
                return Usage(stderr, $"'{result.GetValue(url)}' is not an http:// or https:// URL");
            }

            if (new[] { result.GetValue(http2), result.GetValue(h2c), result.GetValue(http3) }.Count(chosen => chosen) > 1)
            {
                return Usage(stderr, "--http2, --h2c and --http3 exclude each other");
            }

            var seconds = result.GetValue(timeout);
            if (!(seconds > 0 && seconds <= 600))
            {
                return Usage(stderr, $"--timeout must be between 0 and 600 seconds, not {seconds.ToString(CultureInfo.InvariantCulture)}");
            }

            var protocol = result.GetValue(http3) ? CheckProtocol.Http3 : CheckProtocol.Http2;
            if (!CaseSelection.TryParse(protocol, result.GetValue(sections) ?? [], result.GetValue(strict), out var selection, out var bad))
            {
                return Usage(stderr, $"'{bad}' is neither an RFC section (9113/6.5) nor a case id (9113-6.5-2)");
            }

            var cases = selection.Apply(protocol == CheckProtocol.Http3 ? [.. Http3Cases.All, .. QuicCases.All] : Http2Cases.All);
            if (cases.Count == 0)
            {
                return Usage(stderr, "no case matches the given sections");
            }

            var report = new ConsoleReport(stdout, Palette.For(Console.IsOutputRedirected), result.GetValue(verbose));
            if (result.GetValue(dryRun))
            {
                report.DryRun(cases);
                return 0;
            }

            var tls = protocol == CheckProtocol.Http3 || result.GetValue(http2) || (!result.GetValue(h2c) && target.Scheme == "https");
            var conformanceTarget = new ConformanceTarget(target, tls, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(250))
            {
                Insecure = result.GetValue(insecure),
                CaCertificatePath = result.GetValue(caCert),
            };
            var over = protocol == CheckProtocol.Http3 ? "HTTP/3 and QUIC cases against {0} (h3 over QUIC)" : tls ? "HTTP/2 cases against {0} (h2 over TLS)" : "HTTP/2 cases against {0} (h2c prior knowledge)";
            stderr.WriteLine($"hxi check: {cases.Count} {string.Format(CultureInfo.InvariantCulture, over, target)}");
            var results = await ConformanceRunner.RunAsync(cases, conformanceTarget, report.Case, ct);
            report.Summary(results);
            WriteFile(result.GetValue(junit), stream => JunitReport.Write(stream, target.ToString(), results));
            WriteFile(result.GetValue(json), stream => JsonReport.Write(stream, target.ToString(), results));
            return results.Any(r => r.Verdict.Outcome == CaseOutcome.Failed) ? (int)FailureKind.Protocol : 0;
        });
        return command;
    }

    private static int Usage(TextWriter stderr, string message)
    {
        stderr.WriteLine($"hxi: error: {message} (see hxi check --help)");
        return (int)FailureKind.Usage;
    }

    private static void WriteFile(string? path, Action<Stream> write)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            using var file = File.Create(path);
            write(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HxiException(FailureKind.LocalWrite, $"cannot write {path}: {ex.Message}", ex);
        }
    }
}
