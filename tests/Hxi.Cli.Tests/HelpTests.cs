using System.CommandLine;

namespace Hxi.Cli.Tests;

/// <summary>--help of the root and of its subcommands: each usage line is the command's own.</summary>
/// <remarks>The root command is named after the executable: hxi when installed, testhost here.</remarks>
public class HelpTests
{
    private static readonly string Hxi = RootCommand.ExecutableName;

    private static string Help(RootCommand root, params string[] args)
    {
        var output = new StringWriter();
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output });
        Assert.Equal(0, exit);
        return output.ToString().Replace("\r\n", "\n");
    }

    [Theory]
    [InlineData("repl", "repl <URL> [options]")]
    [InlineData("serve", "serve [options]")]
    [InlineData("demo", "demo [<PATH>] [options]")]
    [InlineData("load", "load <URL>... [options]")]
    public void SubcommandHelp_ShowsOnlyItsOwnUsage_NotTheRootsUrlAndItems(string command, string usage)
    {
        var help = Help(Program.CreateRootCommand(), command, "--help");

        Assert.Contains($"Usage:\n  {Hxi} {usage}\n", help);
        Assert.DoesNotContain("ITEMS", help);
        Assert.DoesNotContain("a bare host or :port means http", help);
    }

    [Fact]
    public void ReplHelp_ListsTheReplsUrlOnly()
    {
        var help = Help(Program.CreateRootCommand(), "repl", "-h");

        var arguments = help[help.IndexOf("Arguments:", StringComparison.Ordinal)..help.IndexOf("Options:", StringComparison.Ordinal)];
        Assert.Equal("Arguments:\n  <URL>  https:// (ALPN picks h2 or http/1.1) or http:// (HTTP/1.1; h2c with --http2 by Upgrade or --http2-prior-knowledge)\n\n", arguments);
        Assert.Contains("--http3-only", help);
    }

    [Fact]
    public void RootHelp_StillShowsUrlAndItems_EvenAfterASubcommandsHelp()
    {
        var root = Program.CreateRootCommand();
        Help(root, "repl", "--help");

        var help = Help(root, "--help");

        Assert.Contains($"Usage:\n  {Hxi} <URL> [<ITEMS>...] [command] [options]\n", help);
        Assert.Contains("  <URL>    http:// or https:// URL (a bare host or :port means http)\n", help);
        Assert.Contains("  <ITEMS>  HTTPie-style items", help);
        Assert.Matches(@"\n  repl <URL>\s+Interactive HTTP/3", help);
    }

    [Fact]
    public void RootCommand_StillParsesUrlAndItems_AndReplItsUrl()
    {
        var root = Program.CreateRootCommand();
        var request = root.Parse(["https://localhost:8443/json", "name==hxi", "X-Test:1"]);

        Assert.Empty(request.Errors);
        Assert.Same(root, request.CommandResult.Command);
        Assert.Equal("https://localhost:8443/json", request.GetValue<string>("URL"));
        Assert.Equal(["name==hxi", "X-Test:1"], request.GetValue<string[]>("ITEMS")!);

        var repl = root.Parse(["repl", "--http3-only", "https://localhost:8443/"]);
        Assert.Empty(repl.Errors);
        Assert.Equal("repl", repl.CommandResult.Command.Name);
        Assert.Equal("https://localhost:8443/", repl.GetValue<string>("URL"));

        Assert.NotEmpty(root.Parse(["repl"]).Errors);
    }

    [Theory]
    [InlineData(new[] { "help" }, new[] { "--help" })]
    [InlineData(new[] { "help", "repl" }, new[] { "repl", "--help" })]
    [InlineData(new[] { "help", "serve" }, new[] { "serve", "--help" })]
    public void HelpCommand_ShowsWhatHelpOptionShows(string[] command, string[] option) =>
        Assert.Equal(Help(Program.CreateRootCommand(), option), Help(Program.CreateRootCommand(), command));
}
