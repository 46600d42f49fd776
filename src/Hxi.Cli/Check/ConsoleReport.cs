using Hxi.Cli.Output;
using Hxi.Net.Conformance;

namespace Hxi.Cli.Check;

/// <summary>One line per case as it finishes; for a failure, what the RFC requires, what came back, and the frames.</summary>
public sealed class ConsoleReport(TextWriter output, Palette palette, bool verbose)
{
    public void Case(CaseResult result)
    {
        var c = result.Case;
        var (mark, colour) = result.Verdict.Outcome switch
        {
            CaseOutcome.Passed => ("pass", (Func<string, string>)palette.Green),
            CaseOutcome.Failed => ("FAIL", palette.Red),
            _ => ("skip", palette.Yellow),
        };
        var level = c.Level == RequirementLevel.Should ? " (SHOULD)" : "";
        output.WriteLine($"{colour(mark)}  {c.Id,-14} {palette.Dim($"RFC {c.Section.Rfc} {c.Section.Number}"),-14}  {c.Sends}{level}");
        switch (result.Verdict.Outcome)
        {
            case CaseOutcome.Failed:
                output.WriteLine($"      requires: {c.Requires}");
                output.WriteLine($"      got:      {result.Verdict.Detail}");
                WriteEvidence(result.Verdict.Evidence, all: verbose);
                break;
            case CaseOutcome.Skipped:
                output.WriteLine($"      {palette.Dim($"skipped: {result.Verdict.Detail}")}");
                break;
            default:
                if (verbose)
                {
                    output.WriteLine($"      requires: {c.Requires}{(result.Verdict.Detail.Length > 0 ? $"; {result.Verdict.Detail}" : "")}");
                    WriteEvidence(result.Verdict.Evidence, all: true);
                }

                break;
        }
    }

    /// <summary>Lists the cases a run would include, without connecting.</summary>
    public void DryRun(IReadOnlyList<ConformanceCase> cases)
    {
        foreach (var c in cases)
        {
            var level = c.Level == RequirementLevel.Should ? " (SHOULD)" : "";
            output.WriteLine($"{c.Id,-14} RFC {c.Section.Rfc} {c.Section.Number,-7} {c.Sends}{level}");
            output.WriteLine($"{"",-14} {palette.Dim($"requires: {c.Requires}")}");
        }

        output.WriteLine($"{cases.Count} cases");
    }

    public void Summary(IReadOnlyList<CaseResult> results)
    {
        output.WriteLine();
        foreach (var section in SectionCount.Of(results))
        {
            var counts = $"{section.Passed,3} passed {Red(section.Failed),3} failed {section.Skipped,3} skipped";
            output.WriteLine($"{section.Name,-15} {SectionTitles.Of(section.Rfc, section.Chapter),-44} {counts}");
        }

        var failed = results.Count(r => r.Verdict.Outcome == CaseOutcome.Failed);
        var passed = results.Count(r => r.Verdict.Outcome == CaseOutcome.Passed);
        var skipped = results.Count(r => r.Verdict.Outcome == CaseOutcome.Skipped);
        output.WriteLine();
        output.WriteLine($"{results.Count} cases: {palette.Green($"{passed} passed")}, {(failed > 0 ? palette.Red($"{failed} failed") : "0 failed")}, {skipped} skipped");
    }

    private string Red(int count) => count > 0 ? palette.Red(count.ToString(System.Globalization.CultureInfo.InvariantCulture)) : "0";

    private void WriteEvidence(IReadOnlyList<EvidenceItem> evidence, bool all)
    {
        var lines = EvidenceText.Lines(evidence, all).ToList();
        if (lines.Count == 0)
        {
            return;
        }

        output.WriteLine($"      {(all ? "frames:" : "frames after the test input (-v for all):")}");
        foreach (var line in lines)
        {
            output.WriteLine($"        {line}");
        }
    }
}
