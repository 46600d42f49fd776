using System.Diagnostics;
using Hxi.Cli.Output;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Net.Transport;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Commands;

/// <summary>Runs one request (and its redirects) and shows it: the main job of hxi.</summary>
public static class RequestRunner
{
    /// <summary>Exit status for --fail on a 4xx/5xx response, as curl uses.</summary>
    public const int HttpErrorExitCode = 22;

    public static async Task<int> RunAsync(RequestInvocation run, TextWriter stdout, TextWriter stderr, Stream stdoutStream, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var outPalette = Palette.For(Console.IsOutputRedirected);
        var errPalette = Palette.For(Console.IsErrorRedirected);
        var taps = new List<IWireTap>();
        var renderer = run.View.Any ? new WireRenderer(stderr, run.View, errPalette, clock) : null;
        var verbose = run.Verbose ? new VerboseTap(stderr, errPalette) : null;
        using var trace = run.TraceFile is { } traceFile ? new JsonTraceWriter(OpenOutput(traceFile, "--trace"), clock) : null;
        using var har = run.HarFile is { } harFile ? new HarRecorder(OpenOutput(harFile, "--har"), clock) : null;
        var qlog = run.QlogDirectory is { } qlogDirectory ? QlogDirectory.WriterFactory(qlogDirectory, $"hxi {run.Spec.Url}") : null;
        AddIfPresent(taps, renderer);
        AddIfPresent(taps, verbose);
        AddIfPresent(taps, trace);
        AddIfPresent(taps, har);

        if (run.Insecure && !run.Silent)
        {
            stderr.WriteLine(errPalette.Yellow("hxi: warning: --insecure: the server certificate is not verified"));
        }

        if (run.Insecure || run.CaCertificate is not null)
        {
            SystemTrustStore.SkipLoading();
        }
        else if (!run.Spec.Url.StartsWith("http:", StringComparison.OrdinalIgnoreCase))
        {
            SystemTrustStore.WarmUpInBackground();
        }

        var options = new ClientOptions
        {
            Protocol = run.Protocol,
            Insecure = run.Insecure,
            CaCertificatePath = run.CaCertificate,
            ConnectTimeout = run.ConnectTimeout,
            EnablePush = run.Push,
            Tap = taps.Count switch { 0 => NullWireTap.Instance, 1 => taps[0], _ => new CompositeWireTap([.. taps]) },
            QuicConnectionTap = trace?.CountingQuicConnections(qlog) ?? qlog,
            Log = message =>
            {
                verbose?.Info(message);
                renderer?.Note(message);
                trace?.Note(message);
            },
            OnConnected = info =>
            {
                verbose?.Connected(info);
                renderer?.Note(ConnectionSummary(info));
                trace?.Connected(info);
                har?.Connected();
            },
            TlsObserver = new TlsWireObserver(renderer, trace),
            Clock = clock,
            QpackCapacity = run.QpackCapacity,
            Sessions = run.SessionFile is { } sessionFile ? Hxi.Net.Quic.SessionTicketFile.Load(sessionFile) : null,
            EarlyData = run.EarlyData,
            QuicPath = run.QuicPath,
            AltSvc = run.AltSvcFile is { } altSvc ? AltSvcCache.Load(altSvc, DateTimeOffset.UtcNow) : null,
            PushHandlerFactory = run.Push ? (id, headers) => new PushedResponsePrinter(stderr, errPalette, id, headers) : null,
        };
        options = run.Http2Settings.ApplyTo(options);
        options = run.QuicSettings.ApplyTo(options);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (run.Timeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        var request = await RequestBuilder.BuildAsync(run.Spec, ct);
        var cookies = CookieJar.From(run.Cookie, run.CookieJarFile);
        var stdoutIsTerminal = !Console.IsOutputRedirected;
        var output = new OutputOptions
        {
            // As curl: -v shows the head on stderr ("< " lines), so a pipe or -o gets the body alone; -s -o FILE is quiet.
            ShowHead = run.Include || run.Spec.Head || (stdoutIsTerminal && !run.Verbose && !(run.Silent && run.OutputFile is not null)),
            ShowBody = !run.Spec.Head,
            OutputFile = run.OutputFile,
            Pretty = stdoutIsTerminal,
            Decompress = run.Spec.Compressed,
            Progress = run.OutputFile is not null && !run.Silent && !Console.IsErrorRedirected,
            Colours = outPalette,
        };

        if (run.ExtraUrls.Count > 0 || run.Stat)
        {
            return await MultiUrlRunner.RunAsync(run, request, options, output, clock, stdout, stderr, stdoutStream, timeout.Token);
        }

        await using var client = new HxiClient(options);
        var hops = 0;
        try
        {
            while (true)
            {
                // The jar's Cookie header is made for each hop's own URL, so it never follows a redirect to another origin.
                var sending = cookies?.Apply(request) ?? request;
                var sentAt = clock.Elapsed;
                var firstByteAt = TimeSpan.Zero;
                await using var printer = new ResponsePrinter(output, stdout, stdoutStream)
                {
                    IsIntermediate = head => run.Follow && hops < run.MaxRedirects && Redirects.Next(request, head) is not null,
                    IsWithheld = head => run.Fail && head.StatusCode >= 400,
                    HeadObserver = head =>
                    {
                        firstByteAt = firstByteAt == TimeSpan.Zero ? clock.Elapsed : firstByteAt;
                        verbose?.ResponseHead(head);
                    },
                };
                var summary = await client.SendAsync(sending, har?.Begin(sending, printer) ?? printer, timeout.Token);
                har?.Complete(summary);
                await printer.CompleteAsync();
                cookies?.Store(request.Url, summary.Head);
                if (printer.IsIntermediate(summary.Head))
                {
                    request = Redirects.Next(request, summary.Head)!;
                    hops++;
                    verbose?.Info($"following {summary.Head.StatusCode} to {request.Url}");
                    continue;
                }

                if (run.Follow && Redirects.Next(request, summary.Head) is not null)
                {
                    throw new HxiException(FailureKind.TooManyRedirects, $"stopped after {run.MaxRedirects} redirects (--max-redirects)");
                }

                if (run.Timing)
                {
                    PrintTiming(stderr, errPalette, summary, clock.Elapsed);
                }

                if (run.CookieJarFile is { } jarFile)
                {
                    cookies!.Save(jarFile);
                }

                options.Sessions?.Save();

                if (run.WriteOut is { } template)
                {
                    await stdoutStream.FlushAsync(ct);
                    stdout.Write(WriteOut.Format(template, MeasuredValues(request, summary, hops, sentAt, firstByteAt, clock.Elapsed)));
                    stdout.Flush();
                }

                if (run.Fail && summary.Head.StatusCode >= 400)
                {
                    stderr.WriteLine($"hxi: error: the server answered {ResponsePrinter.StatusLine(summary.Head)} (--fail)");
                    return HttpErrorExitCode;
                }

                return 0;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new HxiException(FailureKind.Timeout, $"the request timed out after {run.Timeout!.Value.TotalSeconds:0.###} s (--timeout)");
        }
    }

    /// <summary>
    /// curl's clock for -w: every time in seconds from the start of the run. A connection reused after a redirect was
    /// still opened by this run, at its start, so its phases count as curl counts them (not as zero).
    /// </summary>
    private static WriteOutValues MeasuredValues(HxiRequest request, ResponseSummary summary, int hops, TimeSpan sentAt, TimeSpan firstByteAt, TimeSpan total)
    {
        var info = summary.Connection;
        var lookup = info.DnsTime.TotalSeconds;
        var connect = lookup + info.ConnectTime.TotalSeconds;
        var appConnect = info.Tls is null ? 0 : info.Protocol == "h3" ? connect : connect + info.TlsTime.TotalSeconds;
        return new WriteOutValues
        {
            Head = summary.Head,
            Connection = info,
            EffectiveUrl = request.Url,
            Method = request.Method,
            TimeNameLookup = lookup,
            TimeConnect = connect,
            TimeAppConnect = appConnect,
            TimeStartTransfer = (firstByteAt == TimeSpan.Zero ? sentAt + summary.TimeToFirstByte : firstByteAt).TotalSeconds,
            TimeTotal = total.TotalSeconds,
            SizeDownload = summary.BodyBytes,
            SizeUpload = request.Body?.Length ?? 0,
            Redirects = hops,
        };
    }

    private static void AddIfPresent(List<IWireTap> taps, IWireTap? tap)
    {
        if (tap is not null)
        {
            taps.Add(tap);
        }
    }

    private static Stream OpenOutput(string path, string option)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HxiException(FailureKind.Usage, $"{option} {path}: {ex.Message}", ex);
        }
    }

    public static string ConnectionSummary(ConnectionInfo info)
    {
        var summary = $"connected to {info.Host} ({info.RemoteEndPoint})";
        if (info.Tls is { } tls)
        {
            summary += $"; {tls.Version} {tls.CipherSuite}; ALPN {tls.AlpnChosen ?? "none"}; certificate {tls.CertificateSubject}";
        }

        return summary;
    }

    private static void PrintTiming(TextWriter stderr, Palette palette, ResponseSummary summary, TimeSpan total)
    {
        var info = summary.Connection;
        static string Ms(TimeSpan t) => $"{t.TotalMilliseconds,8:0.000} ms";
        stderr.WriteLine(palette.Dim("timing:"));
        if (summary.ConnectionReused)
        {
            stderr.WriteLine("  connection   reused (opened for an earlier request of this run)");
        }
        else
        {
            stderr.WriteLine($"  dns          {Ms(info.DnsTime)}");
            if (info.Protocol == "h3")
            {
                // QUIC has no separate TCP connect and TLS handshake: one exchange does both.
                stderr.WriteLine($"  quic         {Ms(info.ConnectTime)}  (connection and TLS 1.3 handshake)");
            }
            else
            {
                stderr.WriteLine($"  connect      {Ms(info.ConnectTime)}");
            }

            if (info.Tls is not null && info.Protocol != "h3")
            {
                stderr.WriteLine($"  tls          {Ms(info.TlsTime)}");
            }
        }

        stderr.WriteLine($"  first byte   {Ms(summary.TimeToFirstByte)}  (from request sent)");
        stderr.WriteLine($"  transfer     {Ms(summary.Duration)}  ({summary.BodyBytes} body bytes)");
        stderr.WriteLine($"  total        {Ms(total)}");
    }
}
