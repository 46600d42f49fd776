using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Hxi.Cli.Commands;

/// <summary>
/// --help that shows a subcommand's own usage: System.CommandLine puts a parent's arguments into a subcommand's
/// usage line and argument list (<c>hxi &lt;URL&gt; [&lt;ITEMS&gt;...] repl &lt;URL&gt;</c>), but the root's URL and ITEMS
/// belong to the one-shot request, not to <c>hxi repl</c> or <c>hxi serve</c>. They are hidden while such help is written.
/// </summary>
public sealed class OwnUsageHelpAction(HelpAction help, RootCommand root) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    /// <summary>Gives every --help of <paramref name="root"/> and its subcommands this action.</summary>
    public static void Install(RootCommand root)
    {
        var option = root.Options.OfType<HelpOption>().Single();
        option.Action = new OwnUsageHelpAction((HelpAction)option.Action!, root);
    }

    public override int Invoke(ParseResult parseResult)
    {
        if (parseResult.CommandResult.Command == root)
        {
            return help.Invoke(parseResult);
        }

        var shown = root.Arguments.Where(a => !a.Hidden).ToList();
        foreach (var argument in shown)
        {
            argument.Hidden = true;
        }

        try
        {
            return help.Invoke(parseResult);
        }
        finally
        {
            foreach (var argument in shown)
            {
                argument.Hidden = false;
            }
        }
    }
}
