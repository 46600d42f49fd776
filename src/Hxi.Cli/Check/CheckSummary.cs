using Hxi.Net.Conformance;

namespace Hxi.Cli.Check;

/// <summary>Counts per RFC section (to two levels: 6.5 holds 6.5.2), in the order the sections first appear.</summary>
public sealed record SectionCount(int Rfc, string Chapter, int Passed, int Failed, int Skipped)
{
    public string Name => $"RFC {Rfc} {Chapter}";

    public int Total => Passed + Failed + Skipped;

    public static IReadOnlyList<SectionCount> Of(IEnumerable<CaseResult> results) =>
        results
            .GroupBy(r => (r.Case.Section.Rfc, r.Case.Section.Chapter))
            .Select(g => new SectionCount(
                g.Key.Rfc,
                g.Key.Chapter,
                g.Count(r => r.Verdict.Outcome == CaseOutcome.Passed),
                g.Count(r => r.Verdict.Outcome == CaseOutcome.Failed),
                g.Count(r => r.Verdict.Outcome == CaseOutcome.Skipped)))
            .ToList();
}
