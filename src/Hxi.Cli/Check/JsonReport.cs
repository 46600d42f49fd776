using System.Text.Json;
using Hxi.Net.Conformance;

namespace Hxi.Cli.Check;

/// <summary>The run as JSON for scripts: the target, counts, and every case with its verdict and evidence lines.</summary>
public static class JsonReport
{
    public static void Write(Stream output, string target, IReadOnlyList<CaseResult> results)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("target", target);
        json.WriteNumber("passed", results.Count(r => r.Verdict.Outcome == CaseOutcome.Passed));
        json.WriteNumber("failed", results.Count(r => r.Verdict.Outcome == CaseOutcome.Failed));
        json.WriteNumber("skipped", results.Count(r => r.Verdict.Outcome == CaseOutcome.Skipped));
        json.WriteStartArray("cases");
        foreach (var result in results)
        {
            var c = result.Case;
            json.WriteStartObject();
            json.WriteString("id", c.Id);
            json.WriteString("section", c.Section.ToString());
            json.WriteString("level", c.Level == RequirementLevel.Must ? "MUST" : "SHOULD");
            json.WriteString("protocol", c.Protocol.ToString().ToLowerInvariant());
            json.WriteString("sends", c.Sends);
            json.WriteString("requires", c.Requires);
            json.WriteString("outcome", result.Verdict.Outcome.ToString().ToLowerInvariant());
            json.WriteString("detail", result.Verdict.Detail);
            json.WriteNumber("durationMs", Math.Round(result.Duration.TotalMilliseconds, 1));
            json.WriteStartArray("evidence");
            foreach (var line in EvidenceText.Lines(result.Verdict.Evidence, all: true))
            {
                json.WriteStringValue(line);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
