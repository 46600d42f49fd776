using System.CommandLine;

namespace Hxi.Cli.Completion;

/// <summary>
/// <c>hxi completion bash|zsh|fish</c> (hidden): prints the shell's completion script, generated from the command
/// tree hxi parses with, so it names exactly the options and subcommands this build has. install.sh writes them.
/// </summary>
public static class CompletionCommand
{
    public static readonly IReadOnlyList<string> Shells = ["bash", "zsh", "fish"];

    /// <summary>The command; <paramref name="root"/> must already hold every other subcommand and option.</summary>
    public static Command Create(RootCommand root)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong([.. Shells]);
        var command = new Command("completion", "Print the completion script for bash, zsh or fish") { Hidden = true };
        command.Add(shell);
        command.SetAction(result =>
        {
            result.InvocationConfiguration.Output.Write(Script(root, result.GetValue(shell)!));
            return 0;
        });
        return command;
    }

    /// <summary>The script for <paramref name="shell"/>, for the program name hxi whatever the executable is called.</summary>
    public static string Script(RootCommand root, string shell)
    {
        var tree = CompletionTree.From(root) with { Name = "hxi" };
        return shell switch
        {
            "bash" => BashCompletionScript.Generate(tree),
            "zsh" => ZshCompletionScript.Generate(tree),
            "fish" => FishCompletionScript.Generate(tree),
            _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "not bash, zsh or fish"),
        };
    }
}
