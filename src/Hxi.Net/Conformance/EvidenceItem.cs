using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Conformance;

/// <summary>One thing seen on a case's connection; <see cref="AfterTrigger"/> marks what followed the case's test input.</summary>
/// <remarks>Each protocol adds its own records (HTTP/3 and QUIC frames later); renderers switch on the type.</remarks>
public abstract record EvidenceItem
{
    /// <summary>True for what was sent or seen after the case sent the input under test: what a failure report shows first.</summary>
    public bool AfterTrigger { get; init; }
}

/// <summary>An HTTP/2 frame sent or received, with the decoded header fields when it ended a field block.</summary>
public sealed record Http2FrameEvidence(bool Sent, Http2Frame Frame, int Length, IReadOnlyList<HeaderField>? Fields = null) : EvidenceItem;

/// <summary>Bytes that are not a frame: the connection preface, or a deliberately broken one.</summary>
public sealed record RawBytesEvidence(bool Sent, string Description, int Length) : EvidenceItem;

/// <summary>Something that happened to the connection: closed by the server, a read timed out, a frame could not be decoded.</summary>
public sealed record NoteEvidence(string Text) : EvidenceItem;
