using Hxi.Cli.Repl.Terminal;

namespace Hxi.Cli.Tests.Repl;

public sealed class LineEditingTests
{
    [Fact]
    public void Buffer_EditsAtTheCursor()
    {
        var buffer = new LineBuffer();
        buffer.Insert("get /json");
        buffer.Home();
        buffer.Right();
        buffer.Right();
        buffer.Right();
        buffer.Insert("!");
        buffer.End();
        buffer.DeleteWordBefore();

        Assert.Equal("get! ", buffer.Text);
        buffer.Home();
        buffer.KillToEnd();
        Assert.Equal("", buffer.Text);
    }

    [Theory]
    [InlineData("pi", "ping")]
    [InlineData("window", "window-update")]
    [InlineData("raw WIN", "WINDOW_UPDATE")]
    [InlineData("rst 3 PROTO", "PROTOCOL_ERROR")]
    [InlineData("settings MAX_CON", "MAX_CONCURRENT_STREAMS=")]
    [InlineData("set he", "hex")]
    [InlineData("wait frame GO", "GOAWAY")]
    public void Completion_OffersCommandsFramesSettingsAndCodes(string typed, string expected)
    {
        var (_, candidates) = ReplCompleter.Complete(typed);

        Assert.Contains(expected, candidates);
    }

    [Fact]
    public void History_PersistsLines_AndSkipsRepeats()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hxi-history-{Guid.NewGuid():N}", "history");
        var history = new ReplHistory(path);
        history.Add("ping");
        history.Add("ping");
        history.Add("get /");

        Assert.Equal(["ping", "get /"], new ReplHistory(path).Entries);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void Console_PassesWholeLinesOnly()
    {
        var output = new StringWriter();
        var console = new ReplConsole(output);

        console.Write("half ");
        Assert.Equal("", output.ToString());
        console.Write("line\nnext");
        Assert.Equal("half line\n", output.ToString());
    }
}
