namespace Hxi.Net.Conformance;

/// <summary>How strongly the RFC words the requirement a case checks: MUST cases always run, SHOULD cases with --strict.</summary>
public enum RequirementLevel
{
    Must,
    Should,
}

/// <summary>The protocol a case speaks: it decides how the target is reached.</summary>
public enum CheckProtocol
{
    Http2,
    Http3,
    Quic,
}

/// <summary>
/// One conformance case: what it sends, what the RFC requires of the server in answer, and the body that drives a
/// fresh raw connection and judges what came back.
/// </summary>
/// <param name="Id">Stable name, e.g. <c>9113-6.5-2</c>: the RFC, the section, the case's number within it.</param>
/// <param name="Section">The RFC section whose requirement is checked.</param>
/// <param name="Sends">What the case sends, in a few words ("SETTINGS ACK with 1 byte of payload").</param>
/// <param name="Requires">What the RFC requires of the server ("connection error FRAME_SIZE_ERROR").</param>
/// <param name="Run">Opens its own connection through the context, and returns the verdict with its evidence.</param>
public sealed record ConformanceCase(
    string Id,
    RfcSection Section,
    RequirementLevel Level,
    CheckProtocol Protocol,
    string Sends,
    string Requires,
    Func<CaseContext, Task<CaseVerdict>> Run);
