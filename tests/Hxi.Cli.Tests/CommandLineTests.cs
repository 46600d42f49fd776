namespace Hxi.Cli.Tests;

/// <summary>How hxi's command line reads what users type, before any request is made.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Theory]
    [InlineData("-d")]
    [InlineData("--data")]
    [InlineData("--json")]
    public void AtFile_IsABodyFromTheFile_NotAResponseFileOfMoreArguments(string option)
    {
        // Lines that would become stray request items if @FILE were expanded as a response file.
        File.WriteAllText(_file, "line one\nline two\n");

        var parsed = Program.Parse(["--cacert", "ca.pem", option, "@" + _file, "https://localhost:8443/echo"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal("@" + _file, parsed.GetValue<string>(option == "-d" ? "--data" : option));
        Assert.Equal("https://localhost:8443/echo", parsed.GetValue<string>("URL"));
        Assert.Empty(parsed.GetValue<string[]>("ITEMS") ?? []);
    }

    [Theory]
    [InlineData(new[] { "--timeout", "abc", "http://localhost/" }, "--timeout: 'abc' is not a number")]
    [InlineData(new[] { "--max-redirects", "many", "http://localhost/" }, "--max-redirects: 'many' is not a whole number")]
    [InlineData(new[] { "repl", "--connect-timeout", "soon", "http://localhost/" }, "--connect-timeout: 'soon' is not a number")]
    public void ABadNumber_IsNamedInTheUsersWords_NotAsADotNetType(string[] args, string expected)
    {
        var parsed = Program.Parse(args);

        Assert.NotEmpty(parsed.Errors);
        var text = Hxi.Cli.Commands.ParseErrorText.Describe(parsed.Errors[0].Message);
        Assert.Equal(expected, text);
        Assert.DoesNotContain("System.", text);
    }
}
