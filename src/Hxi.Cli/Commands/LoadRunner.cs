using Hxi.Cli.Output;
using Hxi.Net.Client;
using Hxi.Net.Load;
using Hxi.Net.Transport;

namespace Hxi.Cli.Commands;

/// <summary>Checks a <c>hxi load</c> command line, runs the load engine with a live progress line, and prints the report.</summary>
public static class LoadRunner
{
    public static async Task<int> RunAsync(LoadInvocation run, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var options = await BuildOptionsAsync(run, ct);
        if (run.Insecure)
        {
            SystemTrustStore.SkipLoading();
            if (!run.Silent)
            {
                stderr.WriteLine(Palette.For(Console.IsErrorRedirected).Yellow("hxi: warning: --insecure: the server certificate is not verified"));
            }
        }
        else if (run.CaCertificate is not null)
        {
            SystemTrustStore.SkipLoading();
        }

        var engine = new LoadEngine(options);
        var showProgress = !run.Silent && !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error);
        using var progressStop = new CancellationTokenSource();
        var progress = showProgress ? LoadProgressLine.RunAsync(engine, options, stderr, progressStop.Token) : Task.CompletedTask;
        LoadReport report;
        try
        {
            // Ctrl-C ends the run, not the command: the engine stops its clients and the report is still printed.
            report = await engine.RunAsync(ct);
        }
        finally
        {
            await progressStop.CancelAsync();
            await progress;
        }

        LoadReportText.Write(stdout, report, options);
        if (run.OutputFile is { } file)
        {
            WriteJson(file, report, stdout);
        }

        if (report.ConnectionsOpened == 0 && report.Errors.Count > 0)
        {
            var (name, count) = report.Errors[0];
            stderr.WriteLine($"hxi: error: no connection could be made: {name} ({count} {(count == 1 ? "attempt" : "attempts")})");
            return name == "TLS handshake failed" ? (int)FailureKind.Tls
                : name == LoadErrorNames.Timeout ? (int)FailureKind.Timeout
                : (int)FailureKind.Connect;
        }

        if (report.Interrupted)
        {
            stderr.WriteLine("hxi: interrupted");
            return 130;
        }

        return 0;
    }

    private static void WriteJson(string file, LoadReport report, TextWriter stdout)
    {
        if (file == "-")
        {
            stdout.WriteLine(LoadReportJson.Serialize(report));
            return;
        }

        try
        {
            File.WriteAllText(file, LoadReportJson.Serialize(report) + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HxiException(FailureKind.LocalWrite, $"-o {file}: {ex.Message}", ex);
        }
    }

    /// <summary>The engine's options from the command line; every mistake is a usage error (exit 2) before anything is sent.</summary>
    public static async Task<LoadOptions> BuildOptionsAsync(LoadInvocation run, CancellationToken ct)
    {
        if (run.RequestCount is not null && run.Duration is not null)
        {
            throw Usage("use -n (a number of requests) or -D (a duration), not both");
        }

        if (run.RequestCount is < 1)
        {
            throw Usage($"-n takes a number of requests of 1 or more, not {run.RequestCount}");
        }

        if (run.Clients is < 1 or > 100_000)
        {
            throw Usage($"-c takes a number of clients from 1 to 100000, not {run.Clients}");
        }

        if (run.StreamsPerClient is < 1 or > 100_000)
        {
            throw Usage($"-m takes a number of streams from 1 to 100000, not {run.StreamsPerClient}");
        }

        if (run.Threads is < 1 or > 1024)
        {
            throw Usage($"-t takes a number of threads from 1 to 1024, not {run.Threads}");
        }

        if (run.RequestsPerSecond is { } rate && !(rate > 0 && rate <= 10_000_000))
        {
            throw Usage($"--rps takes a rate above 0 requests per second, not {rate}");
        }

        if (run.WarmUp is not null && run.Duration is null)
        {
            throw Usage("--warm-up goes with -D (a timed run), as in h2load");
        }

        var requests = new List<HxiRequest>();
        foreach (var url in run.Urls)
        {
            requests.Add(await RequestBuilder.BuildAsync(
                new RequestSpec { Url = url, Method = run.Method, Headers = run.Headers, Data = run.Data, Json = run.Json }, ct));
        }

        var origin = requests[0].Url.GetLeftPart(UriPartial.Authority);
        if (requests.FirstOrDefault(r => r.Url.GetLeftPart(UriPartial.Authority) != origin) is { } other)
        {
            throw Usage($"every URL of a load run goes to one origin, over the same connections: {other.Url} is not on {origin}");
        }

        return new LoadOptions
        {
            Requests = requests,
            RequestCount = run.Duration is null ? run.RequestCount ?? 1 : null,
            Duration = Seconds(run.Duration, "-D"),
            Clients = run.Clients,
            StreamsPerClient = run.StreamsPerClient,
            Threads = run.Threads,
            RequestsPerSecond = run.RequestsPerSecond,
            WarmUp = Seconds(run.WarmUp, "--warm-up") ?? TimeSpan.Zero,
            RequestTimeout = Seconds(run.Timeout, "--timeout"),
            Client = new ClientOptions
            {
                Protocol = run.Protocol,
                Insecure = run.Insecure,
                CaCertificatePath = run.CaCertificate,
                ConnectTimeout = Seconds(run.ConnectTimeout, "--connect-timeout"),
            },
        };
    }

    private static TimeSpan? Seconds(double? value, string option) => value switch
    {
        null => null,
        > 0 and <= 86_400 => TimeSpan.FromSeconds(value.Value),
        _ => throw Usage($"{option} takes seconds above 0 and at most 86400, not {value}"),
    };

    private static HxiException Usage(string message) => new(FailureKind.Usage, message);
}
