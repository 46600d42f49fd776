using Hxi.Cli.Repl.Parsing;

namespace Hxi.Cli.Tests.Repl;

public sealed class ReplEntryCollectorTests
{
    [Fact]
    public void OneLineCommand_IsCompleteAtOnce()
    {
        var collector = new ReplEntryCollector();

        Assert.True(collector.Add("ping"));
        Assert.Equal(["ping"], collector.Lines);
    }

    [Fact]
    public void TypedRequest_EndsAtTheEmptyLine_WithoutBody()
    {
        var collector = new ReplEntryCollector();

        Assert.False(collector.Add("GET / HTTP/1.1"));
        Assert.True(collector.InProgress);
        Assert.False(collector.Add("Host: x"));
        Assert.True(collector.Add(""));
    }

    [Fact]
    public void TypedRequest_ReadsBodyLines_UntilContentLengthIsMet()
    {
        var collector = new ReplEntryCollector();
        foreach (var line in new[] { "POST /echo HTTP/1.1", "Content-Length: 7", "", "abc" })
        {
            Assert.False(collector.Add(line));
        }

        // "abc" + CRLF + "de" is 7 bytes.
        Assert.True(collector.Add("de"));
    }

    [Fact]
    public void ChunkedBody_EndsAfterTheLastChunkAndEmptyLine()
    {
        var collector = new ReplEntryCollector();
        foreach (var line in new[] { "POST /echo HTTP/1.1", "Transfer-Encoding: chunked", "", "3", "abc", "0" })
        {
            Assert.False(collector.Add(line));
        }

        Assert.True(collector.Add(""));
    }
}
