using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Messages;

/// <summary>
/// A fact an HTTP core reports to its owner; consumed with <c>switch</c>. HTTP/2 and HTTP/3 facts derive from it,
/// and the facts about messages (<see cref="MessageEvent"/>) are one vocabulary for both versions.
/// </summary>
public abstract record HttpEvent;

/// <summary>
/// A fact about the message the peer sends on one stream, in words HTTP/2 and HTTP/3 share, so one response
/// assembler serves both. The last event of a message says <c>EndStream</c>: HTTP/2's END_STREAM flag, or
/// HTTP/3's FIN, which may come after the last frame as an empty <see cref="DataReceived"/>.
/// </summary>
public abstract record MessageEvent(long StreamId) : HttpEvent;

/// <summary>A header section: a request, an interim (1xx) response or the final response.</summary>
public sealed record HeadersReceived(long StreamId, IReadOnlyList<HeaderField> Fields, bool EndStream) : MessageEvent(StreamId)
{
    /// <summary>An informational response (103 Early Hints, 100 Continue, RFC 9110 Section 15.2); the final response follows.</summary>
    public bool IsInterim => IsInterimStatus(Fields);

    /// <summary>Whether the fields carry a 1xx <c>:status</c>.</summary>
    public static bool IsInterimStatus(IReadOnlyList<HeaderField> fields)
    {
        foreach (var field in fields)
        {
            if (field.Name == ":status")
            {
                return field.Value.Length == 3 && field.Value[0] == '1';
            }
        }

        return false;
    }
}

/// <summary>The trailer section, after the content.</summary>
public sealed record TrailersReceived(long StreamId, IReadOnlyList<HeaderField> Fields, bool EndStream) : MessageEvent(StreamId);

/// <summary>Content bytes; with <paramref name="EndStream"/> and no bytes, only the end of the message.</summary>
/// <remarks>
/// HTTP/2: <paramref name="Data"/> points into the connection's input buffer until the next <c>Receive</c>, copy it to keep it;
/// its flow-control credit goes back to the peer as the core's options say.
/// </remarks>
public sealed record DataReceived(long StreamId, ReadOnlyMemory<byte> Data, bool EndStream) : MessageEvent(StreamId);

/// <summary>
/// The stream ended abnormally: reset by the peer (<paramref name="ByPeer"/>: RST_STREAM, QUIC RESET_STREAM), or by us
/// because the peer broke a stream-level rule (<paramref name="Reason"/> says which). <paramref name="Code"/> is the
/// version's error code (Http2ErrorCode, Http3ErrorCode); each version's error-code table gives its name.
/// </summary>
public sealed record StreamReset(long StreamId, ulong Code, bool ByPeer, string? Reason = null) : MessageEvent(StreamId);

/// <summary>
/// A received request or response broke a message rule (RFC 9113 Section 8, RFC 9114 Section 4). If <paramref name="Rejected"/>,
/// the stream was reset (PROTOCOL_ERROR, H3_MESSAGE_ERROR) and a <see cref="StreamReset"/> follows; otherwise it carries on
/// (the REPL with strict off).
/// </summary>
public sealed record MalformedMessageReceived(MessageViolation Violation, bool Rejected) : MessageEvent(Violation.StreamId);
