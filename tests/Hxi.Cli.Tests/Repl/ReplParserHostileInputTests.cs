using Hxi.Cli.Repl.Parsing;

namespace Hxi.Cli.Tests.Repl;

/// <summary>Entries the fuzzer (fuzz/, target "repl") found crashing the parser: each must be one ReplInputException.</summary>
public sealed class ReplParserHostileInputTests
{
    [Theory]
    [InlineData(ReplDialect.Http3, "headers --literal", "echo", "X-A: 1", "")]
    [InlineData(ReplDialect.Http2, "headers", "GET", "")]
    public void HeadersWithARequestLineOfOneWord_IsAnInputError(ReplDialect dialect, params string[] lines)
    {
        var error = Assert.Throws<ReplInputException>(() => ReplParser.Parse(lines, dialect));
        Assert.Contains("is not a request line", error.Message);
    }
}
