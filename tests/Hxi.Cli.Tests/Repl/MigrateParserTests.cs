using System.Net;
using Hxi.Cli.Commands;
using Hxi.Cli.Repl.Parsing;

namespace Hxi.Cli.Tests.Repl;

/// <summary>migrate [ADDR] (RFC 9000 Section 9) in the REPL, and the --quic-version values the command line takes.</summary>
public sealed class MigrateParserTests
{
    private static ReplInstruction Parse(string line) => ReplParser.Parse([line], ReplDialect.Http3);

    [Fact]
    public void Migrate_TakesAnOptionalLocalAddress()
    {
        Assert.Equal(new MigrateCommand(null), Parse("migrate"));
        Assert.Equal(new MigrateCommand(IPAddress.Parse("127.0.0.2")), Parse("migrate 127.0.0.2"));
        Assert.Equal(new MigrateCommand(null), Parse("rebind"));
        Assert.Contains("not a local IP address", Assert.Throws<ReplInputException>(() => Parse("migrate elsewhere")).Message);
        Assert.True(ReplCommandNames.IsHttp3Only(new MigrateCommand(null)));
    }

    [Theory]
    [InlineData("1", 0x00000001u)]
    [InlineData("v2", 0x6b3343cfu)]
    [InlineData("2", 0x6b3343cfu)]
    [InlineData("0x6b3343cf", 0x6b3343cfu)]
    public void QuicVersion_NamesOneHxiSpeaks(string text, uint version) =>
        Assert.Equal(version, RequestCommand.ParseQuicVersion(text));

    [Fact]
    public void QuicVersion_Unknown_IsAUsageError() =>
        Assert.Contains("takes 1 or 2", Assert.Throws<Hxi.Net.Client.HxiException>(() => RequestCommand.ParseQuicVersion("0xff00001d")).Message);
}
