using System.CommandLine;

namespace Hxi.Cli.Commands;

/// <summary>`hxi help [COMMAND]`, as git and go have it: the same text as `hxi [COMMAND] --help`, not a request to a host called "help".</summary>
public static class HelpSubcommand
{
    public static Command Create(RootCommand root)
    {
        var topic = new Argument<string?>("COMMAND") { Description = "the command to explain (repl, serve, demo); none for the one-shot request", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("help", "Show help for hxi or one of its commands") { topic };
        command.SetAction(result =>
        {
            var name = result.GetValue(topic);
            if (name is not null && !root.Subcommands.Any(c => c.Name == name && c.Name != "help"))
            {
                result.InvocationConfiguration.Error.WriteLine($"hxi: error: no command '{name}' (commands: {string.Join(", ", root.Subcommands.Where(c => !c.Hidden && c.Name != "help").Select(c => c.Name))})");
                return 2;
            }

            string[] args = name is null ? ["--help"] : [name, "--help"];
            return root.Parse(args).Invoke(result.InvocationConfiguration);
        });
        return command;
    }
}
