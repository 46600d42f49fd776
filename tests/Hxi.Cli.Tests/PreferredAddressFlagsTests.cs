using System.Net;
using Hxi.Cli.Commands;

namespace Hxi.Cli.Tests;

/// <summary>--no-preferred-address (client) and hxi serve --preferred-address (RFC 9000 Section 9.6): parsed and checked.</summary>
public sealed class PreferredAddressFlagsTests
{
    private static Hxi.Net.Quic.QuicPathOptions Read(params string[] args)
    {
        var command = new RequestCommand();
        var root = new System.CommandLine.RootCommand();
        command.AddTo(root);
        var parsed = root.Parse([.. args, "https://localhost/"]);
        Assert.Empty(parsed.Errors);
        return command.QuicPathFrom(parsed);
    }

    [Fact]
    public void TheClientMovesToAPreferredAddressByDefault_AndNoPreferredAddressKeepsItWhereItIs()
    {
        Assert.True(Read().UsePreferredAddress);
        Assert.False(Read("--no-preferred-address").UsePreferredAddress);
    }

    [Theory]
    [InlineData("127.0.0.1:9443", null, 8443, "127.0.0.1:9443")]
    [InlineData("127.0.0.1:0", "127.0.0.1", 8443, "127.0.0.1:0")]
    [InlineData("[::1]:9443", null, 8443, "[::1]:9443")]
    [InlineData("127.0.0.2:8443", null, 8443, "127.0.0.2:8443")]
    public void Serve_APreferredAddressOtherThanTheListeningOne_IsTaken(string text, string? listening, int port, string expected)
    {
        var problem = ServeCommand.PreferredAddressProblem(text, listening is null ? null : IPAddress.Parse(listening), port, out var preferred);

        Assert.Null(problem);
        Assert.Equal(IPEndPoint.Parse(expected), preferred);
    }

    [Theory]
    [InlineData("localhost:9443", null, "is not HOST:PORT with an IP address")]
    [InlineData("127.0.0.1", null, "is not HOST:PORT with an IP address")]
    [InlineData("0.0.0.0:9443", null, "is the unspecified address")]
    [InlineData("127.0.0.1:8443", null, "is the listening address itself")]
    [InlineData("[::1]:8443", null, "is the listening address itself")]
    [InlineData("[::1]:9443", "127.0.0.1", "is not of the family of --address 127.0.0.1")]
    public void Serve_ABadPreferredAddress_IsNamedInOneLine(string text, string? listening, string message)
    {
        var problem = ServeCommand.PreferredAddressProblem(text, listening is null ? null : IPAddress.Parse(listening), 8443, out var preferred);

        Assert.NotNull(problem);
        Assert.Contains(message, problem);
        Assert.DoesNotContain('\n', problem);
        Assert.Null(preferred);
    }
}
