namespace Hxi.Net.Conformance;

/// <summary>What a running case gets: the target, its deadline, and where its evidence goes.</summary>
public sealed class CaseContext(ConformanceTarget target, CancellationToken cancellation)
{
    private readonly List<EvidenceItem> _evidence = [];
    private bool _triggered;

    public ConformanceTarget Target { get; } = target;

    /// <summary>Cancelled when the case's time is up (or the whole run is interrupted).</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    public IReadOnlyList<EvidenceItem> Evidence
    {
        get
        {
            lock (_evidence)
            {
                return [.. _evidence];
            }
        }
    }

    /// <summary>From now on evidence counts as the answer to the case's test input.</summary>
    public void MarkTrigger() => _triggered = true;

    public void Record(EvidenceItem item)
    {
        lock (_evidence)
        {
            _evidence.Add(item with { AfterTrigger = _triggered });
        }
    }

    public CaseVerdict Pass(string note = "") => CaseVerdict.Passed(note, Evidence);

    public CaseVerdict Fail(string detail) => CaseVerdict.Failed(detail, Evidence);

    public CaseVerdict Skip(string reason) => CaseVerdict.Skipped(reason, Evidence);
}
