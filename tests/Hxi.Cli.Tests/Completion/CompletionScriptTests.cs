using System.CommandLine;
using System.Diagnostics;
using Hxi.Cli.Completion;

namespace Hxi.Cli.Tests.Completion;

/// <summary>
/// hxi completion bash|zsh|fish: the scripts come from the real command tree, so every option and subcommand is
/// in them; bash's (and zsh's and fish's, where installed) parse, and bash and fish complete real command lines.
/// </summary>
public class CompletionScriptTests
{
    private static readonly RootCommand Root = Program.CreateRootCommand();

    private static string Script(string shell) => CompletionCommand.Script(Root, shell);

    private static IEnumerable<Option> Visible(Command command) => command.Options.Where(o => !o.Hidden);

    private static IEnumerable<Command> Subcommands => Root.Subcommands.Where(c => !c.Hidden);

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    public void BashAndZsh_NameEveryOptionSpelling_OfTheRootAndEachSubcommand(string shell)
    {
        var script = Script(shell);
        var names = Visible(Root).Concat(Subcommands.SelectMany(Visible)).SelectMany(o => o.Aliases.Prepend(o.Name))
            .Where(n => n is not ("-?" or "/?" or "/h")).Distinct().ToList();

        Assert.True(names.Count > 40, $"only {names.Count} option names found");
        Assert.All(names, name => Assert.Matches($@"[\s'(|)*]{System.Text.RegularExpressions.Regex.Escape(name)}[\s\[|)']", script));
        Assert.All(Subcommands, command => Assert.Contains(command.Name, script));
    }

    [Fact]
    public void Fish_NamesEveryOptionSpelling_AsLongOrShort()
    {
        var script = Script("fish");

        foreach (var option in Visible(Root).Concat(Subcommands.SelectMany(Visible)))
        {
            foreach (var name in option.Aliases.Prepend(option.Name).Where(n => n.StartsWith('-') && n != "-?"))
            {
                Assert.Contains(name.StartsWith("--", StringComparison.Ordinal) ? $" -l {name[2..]}" : $" -s {name[1..]}", script);
            }
        }

        Assert.All(Subcommands, command => Assert.Contains($" -a {command.Name} ", script));
    }

    [Fact]
    public void Scripts_LeaveOutTheHiddenCompletionCommand()
    {
        Assert.DoesNotContain("completion)", Script("bash"));
        Assert.DoesNotContain("'completion:", Script("zsh"));
        Assert.DoesNotContain("-a completion", Script("fish"));
    }

    [Fact]
    public void CompletionCommand_PrintsTheScript_AndRejectsAnotherShell()
    {
        var output = new StringWriter();
        Assert.Equal(0, Root.Parse(["completion", "fish"]).Invoke(new InvocationConfiguration { Output = output }));
        Assert.Equal(Script("fish"), output.ToString());

        Assert.NotEmpty(Program.Parse(["completion", "powershell"]).Errors);
    }

    [Fact]
    public void BashScript_Parses()
    {
        var result = RunShell("bash", "-n", WriteScript("bash"));

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Theory]
    [InlineData("hxi --http", "--http1.1 --http2 --http2-prior-knowledge --http3 --http3-only")]
    [InlineData("hxi re", "repl")]
    [InlineData("hxi repl --scr", "--script")]
    [InlineData("hxi serve --h", "--h2c-port --help --hex --http-port --https-port")]
    [InlineData("hxi demo --h", "--help --hex --hpack --http3")]
    [InlineData("hxi lo", "load")]
    [InlineData("hxi load --http", "--http1.1 --http2 --http2-prior-knowledge --http3 --http3-only")]
    // "repl" here is the value of -o, not the subcommand: the root's options still apply.
    [InlineData("hxi -o repl --verb", "--verbose")]
    public void BashScript_CompletesACommandLine(string line, string expected)
    {
        var words = line.Split(' ');
        var program = $$"""
            source '{{WriteScript("bash")}}'
            COMP_WORDS=({{string.Join(' ', words.Select(w => $"'{w}'"))}})
            COMP_CWORD={{words.Length - 1}}
            _hxi
            printf '%s\n' "${COMPREPLY[@]}" | sort
            """;

        var result = RunShell("bash", "--norc", "--noprofile", "-c", program);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(expected, string.Join(' ', result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [RequiresShellFact("zsh")]
    public void ZshScript_Parses()
    {
        var result = RunShell("zsh", "-n", WriteScript("zsh"));

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [RequiresShellFact("fish")]
    public void FishScript_CompletesACommandLine()
    {
        var result = RunShell("fish", "--no-config", "-c", $"source '{WriteScript("fish")}'; complete -C 'hxi repl --scr'; complete -C 'hxi --http3-o'");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("--script\t", result.StdOut);
        Assert.Contains("--http3-only\t", result.StdOut);
    }

    private static string WriteScript(string shell)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hxi-completion-{Environment.ProcessId}.{shell}");
        File.WriteAllText(path, Script(shell));
        return path;
    }

    private static (int ExitCode, string StdOut, string Output) RunShell(string shell, params string[] arguments)
    {
        var start = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, $"exit {process.ExitCode}\n{stdout}\n{stderr.Result}");
    }
}
