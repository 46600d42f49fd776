using System.Xml.Linq;
using Hxi.Cli.Check;
using Hxi.Net.Conformance;
using Hxi.Net.Conformance.Http2;

namespace Hxi.Net.Tests.Conformance;

public sealed class CaseSelectionTests
{
    [Theory]
    [InlineData("9113/6.5", "6.5", true)]
    [InlineData("9113/6.5", "6.5.2", true)]
    [InlineData("9113/6.5", "6.50", false)]
    [InlineData("9113/6.5", "6", false)]
    [InlineData("9113", "8.2.1", true)]
    [InlineData("rfc9113/8.2", "8.2.1", true)]
    public void ASection_MatchesItselfAndItsSubsections(string filter, string section, bool matches)
    {
        Assert.True(RfcSection.TryParse(filter, out var prefix));
        Assert.Equal(matches, new RfcSection(9113, section).IsWithin(prefix));
    }

    [Theory]
    [InlineData("9113/6.x")]
    [InlineData("http2")]
    [InlineData("9113/6..5")]
    public void ABadSection_IsNamed(string word)
    {
        Assert.False(CaseSelection.TryParse(CheckProtocol.Http2, [word], strict: false, out _, out var bad));
        Assert.Equal(word, bad);
    }

    [Fact]
    public void ShouldCases_RunOnlyWhenStrict_OrWhenNamedById()
    {
        var should = Http2Cases.All.First(c => c.Level == RequirementLevel.Should);

        Assert.DoesNotContain(should, new CaseSelection(CheckProtocol.Http2, [], [], Strict: false).Apply(Http2Cases.All));
        Assert.Contains(should, new CaseSelection(CheckProtocol.Http2, [], [], Strict: true).Apply(Http2Cases.All));
        Assert.Contains(should, new CaseSelection(CheckProtocol.Http2, [], [should.Id], Strict: false).Apply(Http2Cases.All));
    }

    [Fact]
    public void CaseIds_AreUnique_AndNameTheirSection()
    {
        var cases = Http2Cases.All;

        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct().Count());
        Assert.All(cases, c => Assert.StartsWith($"{c.Section.Rfc}-{c.Section.Number}-", c.Id));
        // Issue 13: at least 150 HTTP/2 and HPACK cases at MUST level; SHOULD cases come on top.
        var must = cases.Count(c => c.Level == RequirementLevel.Must);
        Assert.True(must >= 150, $"{must} HTTP/2 MUST cases");
    }

    [Fact]
    public void JunitReport_CountsFailuresAndSkips_PerSection()
    {
        var cases = Http2Cases.All.Take(3).ToList();
        CaseResult[] results =
        [
            new(cases[0], CaseVerdict.Passed("", []), TimeSpan.FromMilliseconds(5)),
            new(cases[1], CaseVerdict.Failed("GOAWAY NO_ERROR", [new NoteEvidence("the server closed the connection")]), TimeSpan.FromMilliseconds(5)),
            new(cases[2], CaseVerdict.Skipped("no body", []), TimeSpan.FromMilliseconds(5)),
        ];
        using var output = new MemoryStream();

        JunitReport.Write(output, "http://127.0.0.1/", results);

        var root = XDocument.Parse(System.Text.Encoding.UTF8.GetString(output.ToArray())).Root!;
        Assert.Equal("3", root.Attribute("tests")?.Value);
        Assert.Equal("1", root.Attribute("failures")?.Value);
        Assert.Equal("1", root.Attribute("skipped")?.Value);
        var failure = root.Descendants("failure").Single();
        Assert.Equal("GOAWAY NO_ERROR", failure.Attribute("message")?.Value);
        Assert.Contains("the server closed the connection", failure.Value);
    }
}
