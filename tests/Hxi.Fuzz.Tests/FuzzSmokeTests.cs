namespace Hxi.Fuzz.Tests;

/// <summary>
/// A short deterministic run of every fuzz target (the seed corpus, then seeded mutations), so a change that lets
/// hostile bytes reach an internal error fails CI. The long runs are fuzz/run-long.sh.
/// </summary>
public sealed class FuzzSmokeTests
{
    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_SurvivesTheSeedsAndSeededMutations(string name)
    {
        var target = FuzzTargets.Find(name)!;

        var report = FuzzRunner.Run(target, target.SmokeIterations, seed: 20261203);

        Assert.True(report.Crashes.Count == 0, string.Join("\n\n", report.Crashes));
        Assert.Equal(target.SmokeIterations, report.Executions);
    }

    [Fact]
    public void EveryTarget_HasSeeds()
    {
        Assert.All(FuzzTargets.All, target => Assert.NotEmpty(target.Seeds()));
    }

    [Fact]
    public void TheRunner_ReportsAnEscapedException_AndAnOversizedAllocation()
    {
        var throwing = new FuzzTarget("throws", "test", input => _ = input[^1], () => [[1]]);
        var allocating = new FuzzTarget("allocates", "test", input => GC.KeepAlive(new byte[FuzzRunner.MaxAllocationPerInput + input.Length + 1]), () => [[1]]);

        Assert.Contains("IndexOutOfRangeException", Assert.Single(FuzzRunner.Run(throwing, 50, seed: 1).Crashes).Signature);
        Assert.Equal("allocation", Assert.Single(FuzzRunner.Run(allocating, 1, seed: 1).Crashes).Signature);
    }
}
