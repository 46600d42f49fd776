using Hxi.Protocols.Http3;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Conformance.Http3;

/// <summary>An HTTP/3 frame sent or received on a stream, with the decoded header fields of a received HEADERS frame.</summary>
/// <param name="Malformed">Why the frame breaks its type's rules (a case sends such frames on purpose), or null.</param>
public sealed record Http3FrameEvidence(bool Sent, Http3FrameTrace Trace, IReadOnlyList<HeaderField>? Fields = null, string? Malformed = null) : EvidenceItem;

/// <summary>
/// Something on a QUIC stream that is not an HTTP/3 frame: a unidirectional stream opened with its type, QPACK
/// instructions, FIN, RESET_STREAM, STOP_SENDING.
/// </summary>
public sealed record Http3StreamEvidence(bool Sent, long StreamId, string Text) : EvidenceItem;
