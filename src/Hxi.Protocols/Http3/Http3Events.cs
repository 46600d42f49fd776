using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3;

/// <summary>A fact the HTTP/3 connection reports to its owner; consumed with <c>switch</c>.</summary>
public abstract record Http3Event;

/// <summary>The peer's SETTINGS arrived first on its control stream and were applied.</summary>
public sealed record SettingsReceived(IReadOnlyList<Http3Setting> Settings) : Http3Event;

/// <summary>A decoded field section on a request or push stream: a request, a response (interim or final) or trailers.</summary>
public sealed record HeadersReceived(long StreamId, IReadOnlyList<HeaderField> Fields, bool IsTrailers) : Http3Event
{
    /// <summary>A 1xx response (103 Early Hints, 100 Continue); the final response follows.</summary>
    public bool IsInterim => !IsTrailers && Fields.Any(f => f.Name == ":status" && f.Value.Length == 3 && f.Value[0] == '1');
}

/// <summary>A piece of a DATA frame's payload; DATA is never buffered whole.</summary>
public sealed record DataReceived(long StreamId, ReadOnlyMemory<byte> Data) : Http3Event;

/// <summary>The peer finished the stream cleanly after a complete message.</summary>
public sealed record StreamEnded(long StreamId) : Http3Event;

/// <summary>The server promised a push on request stream <paramref name="StreamId"/>.</summary>
public sealed record PushPromiseReceived(long StreamId, long PushId, IReadOnlyList<HeaderField> Fields) : Http3Event;

/// <summary>A push stream for <paramref name="PushId"/> opened; its response arrives as events on <paramref name="StreamId"/>.</summary>
public sealed record PushStreamOpened(long StreamId, long PushId) : Http3Event;

/// <summary>A push stream arrived for a push we had cancelled; we stopped reading it with H3_REQUEST_CANCELLED (RFC 9114 Section 7.2.3).</summary>
public sealed record CancelledPushStreamStopped(long StreamId, long PushId) : Http3Event;

/// <summary>The server will not fulfil push <paramref name="PushId"/>.</summary>
public sealed record CancelPushReceived(long PushId) : Http3Event;

/// <summary>The peer is shutting down: from a server, requests at or above <paramref name="Id"/> will not be processed.</summary>
public sealed record GoAwayReceived(long Id) : Http3Event;

public sealed record MaxPushIdReceived(long PushId) : Http3Event;

public sealed record PriorityUpdateReceived(PriorityUpdateFrame Frame) : Http3Event;

/// <summary>The peer reset a stream it was sending (QUIC RESET_STREAM).</summary>
public sealed record StreamResetByPeer(long StreamId, ulong ErrorCode) : Http3Event;

/// <summary>The peer asked us to stop sending on a stream (QUIC STOP_SENDING).</summary>
public sealed record StopSendingReceived(long StreamId, ulong ErrorCode) : Http3Event;

/// <summary>
/// A received request or response broke a message rule (RFC 9114 Section 4). If <paramref name="Rejected"/>, the stream
/// was reset with H3_MESSAGE_ERROR (a <see cref="StreamFailed"/> follows); otherwise it carries on (REPL, strict off).
/// </summary>
public sealed record MalformedMessageReceived(MessageViolation Violation, bool Rejected) : Http3Event;

/// <summary>The peer broke a stream-level rule; we reset the stream and stopped reading it with <paramref name="Code"/>.</summary>
public sealed record StreamFailed(long StreamId, Http3ErrorCode Code, string Reason) : Http3Event;

/// <summary>A frame of an unknown or GREASE type arrived and was ignored, as RFC 9114 Section 9 requires.</summary>
public sealed record UnknownFrameReceived(long StreamId, long FrameType, int PayloadLength) : Http3Event;

/// <summary>A unidirectional stream of an unknown or GREASE type arrived; we stopped reading it.</summary>
public sealed record UnknownStreamReceived(long StreamId, long StreamType) : Http3Event;

/// <summary>A field section waits for QPACK inserts that have not arrived; the stream resumes when they do.</summary>
public sealed record StreamBlocked(long StreamId, long RequiredInsertCount, long InsertCount) : Http3Event;

/// <summary>The peer broke a connection-level rule; the connection is closed with <paramref name="Code"/> and reads no more input.</summary>
public sealed record ConnectionFailed(Http3ErrorCode Code, string Reason) : Http3Event;
