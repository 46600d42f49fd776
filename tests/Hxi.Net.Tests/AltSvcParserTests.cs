using Hxi.Net.Client;

namespace Hxi.Net.Tests;

/// <summary>Alt-Svc field values (RFC 7838 Section 3), as servers send them and as hostile ones might.</summary>
public class AltSvcParserTests
{
    [Fact]
    public void Caddy_RepeatsItsH3AlternativeOncePerAddress()
    {
        var field = AltSvcParser.Parse("h3=\":8443\"; ma=2592000,h3=\":8443\"; ma=2592000");

        Assert.False(field.Clear);
        Assert.Equal(2, field.Alternatives.Count);
        Assert.All(field.Alternatives, a => Assert.Equal(new AltService("h3", "", 8443, TimeSpan.FromSeconds(2592000), false), a));
    }

    [Fact]
    public void Rfc7838_Section3_Examples()
    {
        Assert.Equal(new AltService("h2", "", 8000, AltSvcParser.DefaultMaxAge, false), AltSvcParser.Parse("h2=\":8000\"").Alternatives.Single());
        Assert.Equal(new AltService("h2", "new.example.org", 80, AltSvcParser.DefaultMaxAge, false), AltSvcParser.Parse("h2=\"new.example.org:80\"").Alternatives.Single());
        // protocol-id is percent-encoded: "w=x:y" is sent as w%3Dx%3Ay.
        Assert.Equal("w=x:y", AltSvcParser.Parse("w%3Dx%3Ay=\":443\"").Alternatives.Single().ProtocolId);
        var listed = AltSvcParser.Parse("h2=\"alt.example.com:8000\", h2=\":443\"").Alternatives;
        Assert.Equal([("alt.example.com", 8000), ("", 443)], listed.Select(a => (a.Host, a.Port)));
        var withParameters = AltSvcParser.Parse("h2=\":443\"; ma=3600; persist=1").Alternatives.Single();
        Assert.Equal(TimeSpan.FromHours(1), withParameters.MaxAge);
        Assert.True(withParameters.Persist);
    }

    [Theory]
    [InlineData("clear")]
    [InlineData("  clear\t")]
    public void Clear_ForgetsTheOrigin(string value) => Assert.True(AltSvcParser.Parse(value).Clear);

    [Theory]
    [InlineData("Clear")]   // %s"clear": case-sensitive
    [InlineData("clear, h3=\":443\"")]
    public void ClearOnlyAlone_AndOnlyInLowercase(string value) => Assert.False(AltSvcParser.Parse(value).Clear);

    [Fact]
    public void ClearInAnyField_ClearsTheWholeResponse() =>
        Assert.True(AltSvcParser.Parse(["h3=\":443\"", "clear"]).Clear);

    [Fact]
    public void QuotedPairs_AndQuotedParameterValues_AreUnescaped()
    {
        var alternative = AltSvcParser.Parse("h3=\"ex\\ample.org:443\"; ma=\"60\"").Alternatives.Single();

        Assert.Equal("example.org", alternative.Host);
        Assert.Equal(TimeSpan.FromSeconds(60), alternative.MaxAge);
    }

    [Fact]
    public void Ipv6Literal_KeepsItsBrackets() =>
        Assert.Equal("[::1]", AltSvcParser.Parse("h3=\"[::1]:8443\"").Alternatives.Single().Host);

    [Fact]
    public void EmptyListElements_AndUnknownParameters_AreIgnored()
    {
        var field = AltSvcParser.Parse(" , ,h3=\":443\";v=\"46,43\" ;  ma=10 ,, h3-29=\":443\"");

        Assert.Equal(["h3", "h3-29"], field.Alternatives.Select(a => a.ProtocolId));
        Assert.Equal(TimeSpan.FromSeconds(10), field.Alternatives[0].MaxAge);
    }

    [Theory]
    [InlineData("h3=\":0\"")]
    [InlineData("h3=\":65536\"")]
    [InlineData("h3=\":-1\"")]
    [InlineData("h3=\"host\"")]
    [InlineData("h3=\"a b:443\"")]
    [InlineData("h3=\"evil\\\"host:443\"")]
    [InlineData("h3=\"[not-ip]:443\"")]
    [InlineData("%zz=\":443\"")]
    public void UnusableAlternative_IsSkipped_TheRestKept(string bad)
    {
        var field = AltSvcParser.Parse($"{bad}, h3=\":8443\"");

        Assert.Equal(8443, field.Alternatives.Single().Port);
    }

    [Theory]
    [InlineData("h3=:443")]              // unquoted authority
    [InlineData("h3=\":443")]            // unterminated quote
    [InlineData("=\":443\"")]            // no protocol-id
    [InlineData("h3=\":443\" junk")]     // garbage after a value
    [InlineData("h3=\":443\"; ma")]      // parameter without a value
    public void BrokenSyntax_StopsParsing(string value) => Assert.Empty(AltSvcParser.Parse(value).Alternatives);

    [Fact]
    public void BrokenSyntax_KeepsWhatCameBefore() =>
        Assert.Single(AltSvcParser.Parse("h3=\":443\", h3=:444, h3=\":445\"").Alternatives);

    [Theory]
    [InlineData("ma=abc", 86400)]
    [InlineData("ma=-5", 86400)]
    [InlineData("ma=0", 0)]
    [InlineData("ma=99999999999999999999999", 365 * 86400)]
    [InlineData("ma=31536001", 365 * 86400)]
    public void MaxAge_InvalidKeepsTheDefault_HugeIsClampedToAYear(string parameter, long seconds)
    {
        var field = AltSvcParser.Parse($"h3=\":443\"; {parameter}");

        Assert.Equal(TimeSpan.FromSeconds(seconds), field.Alternatives.Single().MaxAge);
    }

    [Fact]
    public void HostileInput_IsBounded()
    {
        var many = string.Join(",", Enumerable.Repeat("h3=\":443\"", 1000));
        Assert.Equal(AltSvcParser.MaxAlternatives, AltSvcParser.Parse(many[..AltSvcParser.MaxFieldLength]).Alternatives.Count);
        Assert.Empty(AltSvcParser.Parse(many).Alternatives);   // past MaxFieldLength: ignored whole
        Assert.Equal(AltSvcParser.MaxAlternatives, AltSvcParser.Parse(Enumerable.Repeat("h3=\":443\", h3=\":444\"", 50)).Alternatives.Count);
        Assert.Empty(AltSvcParser.Parse(new string('"', 4000)).Alternatives);
        Assert.Empty(AltSvcParser.Parse("h3=\"" + new string(':', 300) + "443\"").Alternatives);
    }

    [Fact]
    public void ControlCharactersInAQuotedString_AreRejected() =>
        Assert.Empty(AltSvcParser.Parse("h3=\"ho\nst:443\"").Alternatives);
}
