namespace Hxi.Net.Conformance;

public enum CaseOutcome
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>How a case ended, in words a server author can act on, and the wire exchange that proves it.</summary>
/// <param name="Detail">For a failure: what came back instead of what the RFC requires; for a skip: why; for a pass: a note or empty.</param>
/// <param name="Evidence">Everything sent and received on the case's connection, in order.</param>
public sealed record CaseVerdict(CaseOutcome Outcome, string Detail, IReadOnlyList<EvidenceItem> Evidence)
{
    public static CaseVerdict Passed(string note, IReadOnlyList<EvidenceItem> evidence) => new(CaseOutcome.Passed, note, evidence);

    public static CaseVerdict Failed(string detail, IReadOnlyList<EvidenceItem> evidence) => new(CaseOutcome.Failed, detail, evidence);

    public static CaseVerdict Skipped(string reason, IReadOnlyList<EvidenceItem> evidence) => new(CaseOutcome.Skipped, reason, evidence);
}

/// <summary>A case ran and got this verdict, in this time.</summary>
public sealed record CaseResult(ConformanceCase Case, CaseVerdict Verdict, TimeSpan Duration);
