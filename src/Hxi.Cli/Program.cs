using System.CommandLine;
using Hxi.Cli.Commands;
using Hxi.Net.Client;

namespace Hxi.Cli;

/// <summary>The hxi executable: one-shot requests, the embedded server and the demo.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
        return RunAsync(args, Console.Out, Console.Error, Console.OpenStandardOutput());
    }

    /// <summary>
    /// The whole executable behind <see cref="Main"/>, writing where it is told: tests run the CLI in-process this way,
    /// exit status and stderr line included, instead of paying a process start per case.
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Stream stdoutStream)
    {
        var parsed = Parse(args, stdout, stderr, stdoutStream);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"hxi: error: {ParseErrorText.Describe(parsed)}");
            return (int)FailureKind.Usage;
        }

        try
        {
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = stdout, Error = stderr };
            // The REPL answers Ctrl-C itself (it stops a command, not the process), and load stops its run and still prints
            // the report, so no forced exit after a grace period.
            if (parsed.CommandResult.Command.Name is "repl" or "load")
            {
                configuration.ProcessTerminationTimeout = null;
            }

            return await parsed.InvokeAsync(configuration);
        }
        catch (HxiException ex)
        {
            stderr.WriteLine($"hxi: error: {ex.Message}");
            return (int)ex.Kind;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("hxi: interrupted");
            return 130;
        }
        catch (Exception ex) when (Environment.GetEnvironmentVariable("HXI_DEBUG") is null)
        {
            // A bug in hxi, not a fault of the server: one line, and HXI_DEBUG=1 shows the stack.
            stderr.WriteLine($"hxi: internal error: {ex.GetType().Name}: {ex.Message} (set HXI_DEBUG=1 for details)");
            return 1;
        }
    }

    /// <summary>
    /// The last guard: an exception that escapes on a background thread would abort the process (SIGABRT, exit 134)
    /// with a stack trace. Drivers catch their own; should one still escape, it is one line and exit 1, the README's
    /// "bug in hxi", unless HXI_DEBUG=1 asks for the runtime's full report. Installed by <see cref="Main"/> only:
    /// it ends the process, which an in-process caller of <see cref="RunAsync"/> does not want.
    /// </summary>
    private static void OnUnhandledException(object sender, UnhandledExceptionEventArgs e)
    {
        if (Environment.GetEnvironmentVariable("HXI_DEBUG") is not null)
        {
            return;
        }

        var ex = e.ExceptionObject as Exception;
        Console.Error.WriteLine(ex is HxiException hxi
            ? $"hxi: error: {hxi.Message}"
            : $"hxi: internal error: {ex?.GetType().Name}: {ex?.Message} (set HXI_DEBUG=1 for details)");
        Environment.Exit(ex is HxiException failure ? (int)failure.Kind : 1);
    }

    /// <summary>
    /// Parses a command line. System.CommandLine would read any argument starting with @ as a response file and
    /// splice its words into the command line; for hxi, `-d @FILE` and `--json @FILE` mean the file's bytes are the
    /// body, as in curl, so response files are off.
    /// </summary>
    public static ParseResult Parse(IReadOnlyList<string> args) => Parse(args, null, null, null);

    private static ParseResult Parse(IReadOnlyList<string> args, TextWriter? stdout, TextWriter? stderr, Stream? stdoutStream) =>
        CreateRootCommand(stdout, stderr, stdoutStream).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>The command line: a one-shot request at the root (URL and ITEMS), and the serve, demo and repl commands.</summary>
    public static RootCommand CreateRootCommand() => CreateRootCommand(null, null, null);

    /// <summary>The command line, with the one-shot request writing to the given outputs (null: the console's, at run time).</summary>
    private static RootCommand CreateRootCommand(TextWriter? stdout, TextWriter? stderr, Stream? stdoutStream)
    {
        var request = new RequestCommand();
        var root = new RootCommand("hxi: telnet for HTTP/2 and HTTP/3 (and HTTP/1.1): send requests, see every frame and packet");
        request.AddTo(root);
        root.Add(ServeCommand.Create());
        root.Add(DemoCommand.Create());
        root.Add(CheckCommand.Create());
        root.Add(Repl.ReplCommand.Create());
        root.Add(LoadCommand.Create(stdout, stderr));
        root.Add(HelpSubcommand.Create(root));
        root.SetAction(async (result, ct) =>
            await RequestRunner.RunAsync(
                RequestInvocation.From(result, request), stdout ?? Console.Out, stderr ?? Console.Error, stdoutStream ?? Console.OpenStandardOutput(), ct));
        OwnUsageHelpAction.Install(root);
        VersionOutput.Install(root);
        root.Add(Completion.CompletionCommand.Create(root));
        return root;
    }
}
