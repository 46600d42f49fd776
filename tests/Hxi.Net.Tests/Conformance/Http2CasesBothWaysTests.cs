using Hxi.Net.Conformance;
using Hxi.Net.Conformance.Http2;

namespace Hxi.Net.Tests.Conformance;

/// <summary>
/// Issue 13 item 5: every case passes against a conforming server and fails against at least one nonconforming one
/// (lax: accepts everything; brittle: rejects anything unusual), so no case is one that cannot fail.
/// </summary>
public sealed class Http2CasesBothWaysTests
{
    private static ConformanceTarget TargetFor(Uri url, string? caPath = null) =>
        new(url, url.Scheme == "https", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50)) { CaCertificatePath = caPath };

    [Fact]
    public async Task EveryCase_PassesAgainstTheConformingPeer_AndFailsAgainstANonconformingOne()
    {
        var cases = Http2Cases.All;
        await using var conforming = new ScriptedH2Server(ConformingH2Peer.RunAsync);
        await using var lax = new ScriptedH2Server(LaxH2Peer.RunAsync);
        await using var brittle = new ScriptedH2Server(BrittleH2Peer.RunAsync);

        var runs = await Task.WhenAll(
            RunAllAsync(cases, TargetFor(conforming.Url)),
            RunAllAsync(cases, TargetFor(lax.Url)),
            RunAllAsync(cases, TargetFor(brittle.Url)));

        var problems = new List<string>();
        var checkedBothWays = new HashSet<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var (good, lenient, strict) = (runs[0][i], runs[1][i], runs[2][i]);
            if (good.Verdict.Outcome != CaseOutcome.Passed)
            {
                problems.Add($"{cases[i].Id} ({cases[i].Sends}) against the conforming peer: {good.Verdict.Outcome}: {good.Verdict.Detail}");
                continue;
            }

            if (lenient.Verdict.Outcome != CaseOutcome.Failed && strict.Verdict.Outcome != CaseOutcome.Failed)
            {
                problems.Add($"{cases[i].Id} ({cases[i].Sends}) failed against neither nonconforming peer: lax {lenient.Verdict.Outcome} ({lenient.Verdict.Detail}), brittle {strict.Verdict.Outcome} ({strict.Verdict.Detail})");
                continue;
            }

            checkedBothWays.Add(cases[i].Id);
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Empty(conforming.Errors);
        Assert.Empty(brittle.Errors);
        Assert.Equal(cases.Select(c => c.Id).ToHashSet(), checkedBothWays);
    }

    [Fact]
    public async Task SettingsCases_PassOverTls_WithAlpnH2AndACustomCa()
    {
        var (leaf, caPath) = TlsTestServer.MakeChain("localhost", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await using var server = new ScriptedH2Server(ConformingH2Peer.RunAsync, leaf);
        var selection = new CaseSelection(CheckProtocol.Http2, [new RfcSection(9113, "6.5")], [], Strict: false);
        var cases = selection.Apply(Http2Cases.All);

        var results = await RunAllAsync(cases, TargetFor(server.Url, caPath));

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.True(r.Verdict.Outcome == CaseOutcome.Passed, $"{r.Case.Id}: {r.Verdict.Detail}"));
    }

    private static async Task<IReadOnlyList<CaseResult>> RunAllAsync(IReadOnlyList<ConformanceCase> cases, ConformanceTarget target)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await ConformanceRunner.RunAsync(cases, target, onResult: null, limit.Token);
    }
}
