using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3;

/// <summary>A fact only HTTP/3 reports; the facts about messages are the shared <see cref="MessageEvent"/>s.</summary>
public abstract record Http3Event : HttpEvent;

/// <summary>The peer's SETTINGS arrived first on its control stream and were applied.</summary>
public sealed record SettingsReceived(IReadOnlyList<Http3Setting> Settings) : Http3Event;

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

/// <summary>The peer asked us to stop sending on a stream (QUIC STOP_SENDING).</summary>
public sealed record StopSendingReceived(long StreamId, ulong ErrorCode) : Http3Event;

/// <summary>A frame of an unknown or GREASE type arrived and was ignored, as RFC 9114 Section 9 requires.</summary>
public sealed record UnknownFrameReceived(long StreamId, long FrameType, int PayloadLength) : Http3Event;

/// <summary>A unidirectional stream of an unknown or GREASE type arrived; we stopped reading it.</summary>
public sealed record UnknownStreamReceived(long StreamId, long StreamType) : Http3Event;

/// <summary>A field section waits for QPACK inserts that have not arrived; the stream resumes when they do.</summary>
public sealed record StreamBlocked(long StreamId, long RequiredInsertCount, long InsertCount) : Http3Event;

/// <summary>The peer broke a connection-level rule; the connection is closed with <paramref name="Code"/> and reads no more input.</summary>
public sealed record ConnectionFailed(Http3ErrorCode Code, string Reason) : Http3Event;
