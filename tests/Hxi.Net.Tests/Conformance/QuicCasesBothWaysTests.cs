using Hxi.Net.Conformance;
using Hxi.Net.Conformance.Quic;

namespace Hxi.Net.Tests.Conformance;

/// <summary>
/// Issue 13 item 5 for the QUIC transport cases: every case passes against hxi's own QUIC server role and fails
/// against a lax one (which drops what it should close on, and answers what it should drop), so no case cannot fail.
/// </summary>
public sealed class QuicCasesBothWaysTests
{
    private static ConformanceTarget TargetFor(ScriptedQuicServer server) =>
        new(server.Url, Tls: true, TimeSpan.FromSeconds(1.5), TimeSpan.FromMilliseconds(100)) { CaCertificatePath = server.CaPath };

    [Fact]
    public async Task EveryCase_PassesAgainstTheConformingServer_AndFailsAgainstTheLaxOne()
    {
        var cases = QuicCases.All;
        await using var conforming = ScriptedQuicServer.Conforming();
        await using var lax = ScriptedQuicServer.Lax();

        // The first QUIC handshake of the process pays for JIT in client and server alike; on a loaded machine that can
        // outlast a case's deadline, so one handshake goes first and its verdict is not counted.
        await RunAllAsync([cases.First(c => c.Section == new RfcSection(9000, "19.20"))], TargetFor(conforming));

        var runs = await Task.WhenAll(RunAllAsync(cases, TargetFor(conforming)), RunAllAsync(cases, TargetFor(lax)));

        var problems = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var (good, lenient) = (runs[0][i], runs[1][i]);
            if (good.Verdict.Outcome != CaseOutcome.Passed)
            {
                problems.Add($"{cases[i].Id} ({cases[i].Sends}) against the conforming server: {good.Verdict.Outcome}: {good.Verdict.Detail}");
            }

            if (lenient.Verdict.Outcome != CaseOutcome.Failed)
            {
                problems.Add($"{cases[i].Id} ({cases[i].Sends}) against the lax server: {lenient.Verdict.Outcome}: {lenient.Verdict.Detail}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Empty(conforming.Errors);
        Assert.Empty(lax.Errors);
    }

    [Fact]
    public void Catalog_HasAtLeastThirtyMustCases_WithUniqueIds()
    {
        var cases = QuicCases.All;
        Assert.True(cases.Count(c => c.Level == RequirementLevel.Must) >= 30, $"{cases.Count(c => c.Level == RequirementLevel.Must)} MUST cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct().Count());
        Assert.All(cases, c => Assert.Equal(CheckProtocol.Quic, c.Protocol));
    }

    [Fact]
    public void Http3Selection_IncludesTheQuicCases_BySection()
    {
        Assert.True(CaseSelection.TryParse(CheckProtocol.Http3, ["9000/19.8"], strict: false, out var selection, out _));
        var chosen = selection.Apply(QuicCases.All);
        Assert.NotEmpty(chosen);
        Assert.All(chosen, c => Assert.True(c.Section.IsWithin(new RfcSection(9000, "19.8"))));
    }

    private static async Task<IReadOnlyList<CaseResult>> RunAllAsync(IReadOnlyList<ConformanceCase> cases, ConformanceTarget target)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        return await ConformanceRunner.RunAsync(cases, target, onResult: null, limit.Token);
    }
}
