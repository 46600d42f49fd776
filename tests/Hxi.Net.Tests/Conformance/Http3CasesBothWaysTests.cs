using Hxi.Net.Conformance;
using Hxi.Net.Conformance.Http3;

namespace Hxi.Net.Tests.Conformance;

/// <summary>
/// Issue 13 item 5 for HTTP/3 and QPACK: every case passes against the project's own HTTP/3 core and fails against at
/// least one nonconforming server (lax: accepts everything, careless output; brittle: rejects anything unusual), so
/// no case is one that cannot fail.
/// </summary>
public sealed class Http3CasesBothWaysTests
{
    private static ConformanceTarget TargetFor(ScriptedH3Server server) =>
        new(server.Url, Tls: true, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100)) { CaCertificatePath = server.CaPath };

    [Fact]
    public void TheCatalog_HasAtLeastFiftyMustCases_WithUniqueIds()
    {
        var cases = Http3Cases.All;

        Assert.True(cases.Count(c => c.Level == RequirementLevel.Must) >= 50, $"{cases.Count(c => c.Level == RequirementLevel.Must)} MUST cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct().Count());
        Assert.All(cases, c => Assert.Contains(c.Section.Rfc, new[] { 9114, 9204 }));
    }

    [Fact]
    public async Task EveryCase_PassesAgainstTheConformingServer_AndFailsAgainstANonconformingOne()
    {
        var cases = Http3Cases.All;
        await using var conforming = new ScriptedH3Server(() => new ConformingH3Session());
        await using var lax = new ScriptedH3Server(SloppyH3Session.Lax);
        await using var brittle = new ScriptedH3Server(SloppyH3Session.Brittle);

        var runs = await Task.WhenAll(
            RunAllAsync(cases, TargetFor(conforming)),
            RunAllAsync(cases, TargetFor(lax)),
            RunAllAsync(cases, TargetFor(brittle)));

        var problems = new List<string>();
        var checkedBothWays = new HashSet<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var (good, lenient, strict) = (runs[0][i], runs[1][i], runs[2][i]);
            if (good.Verdict.Outcome != CaseOutcome.Passed)
            {
                problems.Add($"{cases[i].Id} ({cases[i].Sends}) against the conforming server: {good.Verdict.Outcome}: {good.Verdict.Detail}");
                continue;
            }

            if (lenient.Verdict.Outcome != CaseOutcome.Failed && strict.Verdict.Outcome != CaseOutcome.Failed)
            {
                problems.Add($"{cases[i].Id} ({cases[i].Sends}) failed against neither nonconforming server: lax {lenient.Verdict.Outcome} ({lenient.Verdict.Detail}), brittle {strict.Verdict.Outcome} ({strict.Verdict.Detail})");
                continue;
            }

            // A failure to set up proves nothing about the case itself: the nonconforming server must fail it on its input.
            if (new[] { lenient, strict }.Where(r => r.Verdict.Outcome == CaseOutcome.Failed).All(r => IsSetupFailure(r.Verdict.Detail)))
            {
                problems.Add($"{cases[i].Id} ({cases[i].Sends}) failed against the nonconforming servers only in set-up: lax {lenient.Verdict.Detail}, brittle {strict.Verdict.Detail}");
                continue;
            }

            checkedBothWays.Add(cases[i].Id);
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Empty(conforming.Errors);
        Assert.Empty(lax.Errors);
        Assert.Empty(brittle.Errors);
        Assert.Equal(cases.Select(c => c.Id).ToHashSet(), checkedBothWays);
    }

    private static bool IsSetupFailure(string detail) =>
        detail.StartsWith("could not set up", StringComparison.Ordinal) || detail.StartsWith("setup:", StringComparison.Ordinal)
        || detail.StartsWith("no verdict within", StringComparison.Ordinal);

    private static async Task<IReadOnlyList<CaseResult>> RunAllAsync(IReadOnlyList<ConformanceCase> cases, ConformanceTarget target)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        return await ConformanceRunner.RunAsync(cases, target, onResult: null, limit.Token);
    }
}
