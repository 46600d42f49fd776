namespace Hxi.Protocols.Messages;

/// <summary>A received message broke <paramref name="Rule"/>; <paramref name="Section"/> is where the version's RFC says so.</summary>
/// <param name="Detail">What was wrong, in words: "content-length 1000 but 10 bytes of DATA".</param>
/// <param name="Section">"RFC 9113 8.1.1", "RFC 9114 4.1.2", "RFC 9110 8.6".</param>
public sealed record MessageViolation(long StreamId, MessageKind Kind, MessageRule Rule, string Detail, string Section)
{
    /// <summary>The one line a user sees: <c>malformed response on stream 1: content-length 1000 but 10 bytes of DATA (RFC 9113 8.1.1)</c>.</summary>
    public override string ToString() =>
        $"malformed {(Kind == MessageKind.Request ? "request" : "response")} on stream {StreamId}: {Detail} ({Section})";
}
