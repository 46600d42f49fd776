using System.Diagnostics;
using Hxi.Cli.Commands;
using Hxi.Cli.Output;
using Hxi.Cli.Repl.Parsing;
using Hxi.Cli.Repl.Sessions;
using Hxi.Cli.Repl.Terminal;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Net.Transport;
using Hxi.Protocols.Messages;

namespace Hxi.Cli.Repl;

/// <summary>
/// The REPL's loop: read an entry, parse it, hand it to the session, report failures in one line and
/// go on. It decides the exit status: in a script, the code of the first command that failed (2 for a command
/// that cannot run, 5 for a wait that ran out, a failed request's own code); 6 when the connection failed unexpectedly.
/// </summary>
public sealed class ReplRunner
{
    /// <summary>Ctrl-C, as the one-shot mode reports it.</summary>
    private const int InterruptedExitCode = 130;

    private readonly ReplSettings _settings;
    private readonly ReplConsole _console;
    private readonly IReplInput _input;
    private readonly ReplContext _context;
    private readonly ReplRecorder? _recorder;
    private readonly ReplHistory _history;
    private readonly HarRecorder? _har;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _interrupted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _running;
    // The exit code of the first command that failed in a script; 0 while none has.
    private int _firstFailure;

    private ReplRunner(ReplSettings settings, ReplConsole console, IReplInput input, Palette colours, ReplHistory history)
    {
        _settings = settings;
        _console = console;
        _history = history;
        if (settings.Insecure || settings.CaCertificate is not null)
        {
            SystemTrustStore.SkipLoading();
        }
        else if (settings.Url.Scheme == Uri.UriSchemeHttps)
        {
            SystemTrustStore.WarmUpInBackground();
        }

        _input = input;
        var clock = Stopwatch.StartNew();
        _har = settings.HarFile is { } harFile ? new HarRecorder(OpenHar(harFile), clock) : null;
        _context = new ReplContext
        {
            Out = console,
            Colours = colours,
            Renderer = new WireRenderer(console, settings.View, colours, clock),
            Har = _har,
            BaseUrl = settings.Url,
            RequestTimeout = settings.RequestTimeout,
            ClientOptions = new ClientOptions
            {
                Protocol = settings.Mode,
                Insecure = settings.Insecure,
                CaCertificatePath = settings.CaCertificate,
                ConnectTimeout = settings.ConnectTimeout,
                QuicPath = new Hxi.Net.Quic.QuicPathOptions { Version = settings.QuicVersion },
                MalformedMessages = () => _context!.Strict ? MalformedMessagePolicy.Reject : MalformedMessagePolicy.Report,
            },
            Strict = settings.Strict,
            TerminalWidth = () => input.IsInteractive ? ConsoleWidth() : null,
        };
        _context.AskAsync = AskAsync;
        _recorder = settings.RecordFile is { } record ? new ReplRecorder(record, settings) : null;
    }

    /// <summary>Runs a session on the process's console: a line editor on a terminal, plain lines otherwise.</summary>
    public static async Task<int> RunOnConsoleAsync(ReplSettings settings, CancellationToken ct)
    {
        var console = new ReplConsole(Console.Out);
        var colours = Palette.For(Console.IsOutputRedirected);
        IReplInput input;
        TextReader? script = null;
        // A script's lines are this session's history only; a person's are kept across sessions.
        var history = new ReplHistory(null);
        if (settings.ScriptFile is { } path)
        {
            script = OpenScript(path);
            input = new ScriptInput(script, console);
        }
        else if (Console.IsInputRedirected || Console.IsOutputRedirected)
        {
            input = new ScriptInput(Console.In, console);
        }
        else
        {
            history = new ReplHistory(ReplHistory.DefaultPath());
            var editor = new LineEditor(Console.Out, history);
            console.Editor = editor;
            input = editor;
        }

        var runner = new ReplRunner(settings, console, input, colours, history);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            runner.Interrupt();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await runner.RunAsync(ct);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            script?.Dispose();
        }
    }

    /// <summary>Runs a session on given input and output: how tests drive the REPL in-process.</summary>
    public static Task<int> RunAsync(ReplSettings settings, TextReader lines, TextWriter output, CancellationToken ct)
    {
        var console = new ReplConsole(output);
        return new ReplRunner(settings, console, new ScriptInput(lines, console), Palette.None, new ReplHistory(null)).RunAsync(ct);
    }

    /// <summary>
    /// Ctrl-C: stops the command that is running; at a terminal's prompt it clears the typed line (twice on an empty
    /// line ends the session, as the line editor says); reading a script, it ends the session.
    /// </summary>
    public void Interrupt()
    {
        lock (_gate)
        {
            if (_running is { } running)
            {
                running.Cancel();
                return;
            }
        }

        if (_console.Editor is { } editor && !editor.Interrupt())
        {
            return;
        }

        _interrupted.TrySetResult();
    }

    private async Task<int> RunAsync(CancellationToken ct)
    {
        IReplSession? session = null;
        try
        {
            session = await OpenSessionAsync(ct);
            if (_input.IsInteractive)
            {
                _context.Note("type help for the commands, a request like GET / HTTP/1.1, or quit (Ctrl-D)");
            }

            await LoopAsync(session, ct);
        }
        catch (ReplCommandException ex)
        {
            // The session never started: the reason's own code, as in one-shot mode (a TLS failure is 4, not 3).
            _console.WriteLine(_context.Colours.Red($"hxi: error: {ex.Message}"));
            return (int)ex.Kind;
        }
        finally
        {
            if (session is not null)
            {
                // Closing sends a GOAWAY of its own; the statistics come after it so they count it.
                await session.DisposeAsync();
                ReplBuiltins.Stats(_context);
            }

            // A session ended by Ctrl-D still waits, on replay, for the answers it saw.
            Record([]);
            _recorder?.Dispose();
            _har?.Dispose();
        }

        // At a terminal a mistyped command is corrected on the spot; in a script it is a failed run,
        // reported with the code of the first command that failed (README "Exit status").
        if (_firstFailure != 0 && !_input.IsInteractive)
        {
            return _firstFailure;
        }

        return _context.UnexpectedConnectionError is null ? 0 : (int)FailureKind.Protocol;
    }

    private async Task<IReplSession> OpenSessionAsync(CancellationToken ct)
    {
        if (_settings.Mode is ProtocolMode.Http3 or ProtocolMode.Http3Only && await OpenHttp3Async(ct) is { } http3)
        {
            _context.Dialect = ReplDialect.Http3;
            return http3;
        }

        try
        {
            var transport = await ReplConnector.ConnectAsync(_context, _settings.Mode, ct);
            _context.Note(RequestRunner.ConnectionSummary(transport.Info));
            if (transport.Info.Tls is { AlpnChosen: not "h2" } tls && _settings.Mode != ProtocolMode.Http11)
            {
                _context.Note($"the server chose {tls.AlpnChosen ?? "no protocol"} by ALPN, so this is an HTTP/1.1 session");
            }

            IReplSession session = ReplConnector.SpeaksHttp2(transport, _settings.Mode)
                ? new Http2ReplSession(_context, _settings.Mode, transport)
                : new Http1ReplSession(_context, _settings.Mode, transport);
            try
            {
                await session.ConnectAsync(ct);
            }
            catch (H2cUpgradeRefusedException refused)
            {
                // As curl does with --http2 on http://: a server that will not switch is still an HTTP/1.1 server.
                await session.DisposeAsync();
                _context.Note($"{refused.Message}, so this is an HTTP/1.1 session");
                session = new Http1ReplSession(_context, ProtocolMode.Http11, await ReplConnector.ConnectAsync(_context, ProtocolMode.Http11, ct));
                await session.ConnectAsync(ct);
            }

            return session;
        }
        catch (HxiException ex)
        {
            throw ReplCommandException.From(ex);
        }
    }

    /// <summary>QUIC with ALPN h3; with --http3 a failure falls back to TCP (null, the reason said), with --http3-only it ends the session.</summary>
    private async Task<IReplSession?> OpenHttp3Async(CancellationToken ct)
    {
        var session = new Http3ReplSession(_context);
        try
        {
            await session.ConnectAsync(ct);
            return session;
        }
        catch (ReplCommandException ex)
        {
            await session.DisposeAsync();
            if (_settings.Mode == ProtocolMode.Http3Only)
            {
                throw new ReplCommandException($"{ex.Message} (--http3-only: no fallback to TCP)", ex.Kind);
            }

            _context.Note($"falling back from HTTP/3 to TCP: {ex.Message}");
            return null;
        }
    }

    private async Task LoopAsync(IReplSession session, CancellationToken ct)
    {
        var collector = new ReplEntryCollector();
        while (true)
        {
            var prompt = collector.InProgress ? "... " : $"{session.Label}> ";
            var line = await ReadAsync(prompt, ct);
            if (line.Kind != ReplLineKind.Text)
            {
                // The editor may still be waiting for a key (Ctrl-C came as a signal); what follows is printed plainly.
                _console.Editor = null;
                if (collector.InProgress && !_input.IsInteractive)
                {
                    Fail("the input ended in the middle of a request", FailureKind.Usage);
                }

                if (line.Kind == ReplLineKind.Interrupted || _input.IsInteractive)
                {
                    _console.WriteLine("");
                }

                return;
            }

            if (!_input.IsInteractive)
            {
                // The line editor keeps a person's lines itself.
                _history.Add(line.Text);
            }

            if (!collector.Add(line.Text))
            {
                continue;
            }

            var entry = collector.Lines.ToList();
            ReplInstruction instruction;
            try
            {
                instruction = ReplParser.Parse(entry, _context.Dialect);
            }
            catch (ReplInputException ex)
            {
                Fail(ex.Message, FailureKind.Usage);
                continue;
            }

            if (instruction is QuitCommand)
            {
                Record(entry);
                return;
            }

            if (instruction is not NoCommand)
            {
                Record(entry);
                await ExecuteAsync(session, instruction, ct);
            }
        }
    }

    private async Task<ReplLine> ReadAsync(string prompt, CancellationToken ct)
    {
        var read = _input.ReadLineAsync(prompt, ct);
        var first = await Task.WhenAny(read, _interrupted.Task);
        return first == read ? await read : ReplLine.Interrupted;
    }

    private async Task ExecuteAsync(IReplSession session, ReplInstruction instruction, CancellationToken ct)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(ct);
        lock (_gate)
        {
            _running = running;
        }

        if (instruction is not (WaitFrameCommand or WaitStreamEndCommand or Http3WaitFrameCommand or WaitCloseCommand))
        {
            _context.Watch.MarkCommand();
        }

        try
        {
            var work = instruction switch
            {
                HelpCommand help => Sync(() => ReplBuiltins.Help(_context, help.Topic)),
                SetCommand set => Sync(() => ReplBuiltins.Set(_context, set)),
                StrictCommand strict => Sync(() => ReplBuiltins.Strict(_context, strict)),
                StatsCommand => Sync(() => ReplBuiltins.Stats(_context)),
                HistoryCommand history => Sync(() => ReplBuiltins.History(_context, _history, history.Count)),
                WaitDelayCommand wait => Task.Delay(wait.Delay, running.Token),
                WaitRequestsCommand wait => ReplBuiltins.WaitRequestsAsync(_context, wait.Timeout, running.Token),
                ShortRequest request => ReplRequests.RunAsync(session, request, _context, running.Token),
                GuidedRequest => GuidedMode.RunAsync(session, _context, running.Token),
                TypedRequest or WaitFrameCommand or WaitStreamEndCommand or Http3WaitFrameCommand or WaitCloseCommand => session.ExecuteAsync(instruction, running.Token),
                _ => SendByHandAsync(session, instruction, running.Token),
            };
            await work;
        }
        catch (ReplCommandException ex)
        {
            Fail(ex.Message, ex.Kind);
        }
        catch (HxiException ex)
        {
            Fail(ex.Message, ex.Kind);
        }
        catch (ReplInputException ex)
        {
            Fail(ex.Message, FailureKind.Usage);
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            Fail("interrupted", InterruptedExitCode);
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
            }
        }
    }

    /// <summary>A frame command; with the frame view off, what it sent is confirmed in one line, as h2i does.</summary>
    private async Task SendByHandAsync(IReplSession session, ReplInstruction instruction, CancellationToken ct)
    {
        if (_context.Renderer.View.Frames)
        {
            await session.ExecuteAsync(instruction, ct);
            return;
        }

        _context.Sent.Start();
        try
        {
            await session.ExecuteAsync(instruction, ct);
        }
        finally
        {
            if (_context.Sent.Stop() is { } sent)
            {
                _context.Note(sent);
            }
        }
    }

    private static Task Sync(Action action)
    {
        action();
        return Task.CompletedTask;
    }

    private void Fail(string message, FailureKind kind) => Fail(message, (int)kind);

    private void Fail(string message, int exitCode)
    {
        Interlocked.CompareExchange(ref _firstFailure, exitCode, 0);
        _console.WriteLine(_context.Colours.Red($"error: {message}"));
    }

    private async Task<string?> AskAsync(string question, CancellationToken ct)
    {
        var line = await ReadAsync(question, ct);
        if (line.Kind != ReplLineKind.Text)
        {
            return null;
        }

        Record([line.Text]);
        return line.Text;
    }

    /// <summary>
    /// Adds an entry to --record's script. An answer on a stream opened by hand that came before this entry was typed
    /// was seen before it, so the script waits for it first: replayed at script speed, it would be missed.
    /// </summary>
    private void Record(IReadOnlyList<string> entry)
    {
        if (_recorder is null)
        {
            return;
        }

        foreach (var stream in _context.TakeEndedStreamsOpenedByHand())
        {
            _recorder.Add([$"wait stream {stream} end"]);
        }

        _recorder.Add(entry);
    }

    private static FileStream OpenHar(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HxiException(FailureKind.Usage, $"--har {path}: {ex.Message}", ex);
        }
    }

    private static int? ConsoleWidth()
    {
        try
        {
            return Console.WindowWidth is > 0 and var width ? width : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static StreamReader OpenScript(string path)
    {
        try
        {
            return new StreamReader(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HxiException(FailureKind.Usage, $"--script {path}: {ex.Message}", ex);
        }
    }
}
