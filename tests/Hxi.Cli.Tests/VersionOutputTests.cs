using System.CommandLine;
using Hxi.Cli.Commands;

namespace Hxi.Cli.Tests;

/// <summary>hxi --version: the version from Directory.Build.props and the commit, both fixed at build time.</summary>
public class VersionOutputTests
{
    [Fact]
    public void Format_ShowsTheVersionAndTwelveDigitsOfTheCommit()
    {
        Assert.Equal("hxi 0.1.0 (commit 0123456789ab)", VersionOutput.Format("0.1.0+0123456789abcdef0123456789abcdef01234567"));
    }

    [Fact]
    public void Format_ABuildOutsideGit_ShowsTheVersionAlone()
    {
        Assert.Equal("hxi 0.1.0", VersionOutput.Format("0.1.0"));
    }

    [Fact]
    public void VersionOption_PrintsTheLine_WithoutTheUrlTheRootOtherwiseNeeds()
    {
        var parsed = Program.Parse(["--version"]);
        var output = new StringWriter();

        Assert.Empty(parsed.Errors);
        Assert.Equal(0, parsed.Invoke(new InvocationConfiguration { Output = output }));
        Assert.Equal(VersionOutput.Text + Environment.NewLine, output.ToString());
        Assert.StartsWith($"hxi {typeof(Program).Assembly.GetName().Version!.ToString(3)}", VersionOutput.Text);
    }
}
