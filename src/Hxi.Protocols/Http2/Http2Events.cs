using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http2;

/// <summary>A fact the HTTP/2 connection reports to its owner; consumed with <c>switch</c>.</summary>
public abstract record Http2Event;

/// <summary>The peer's connection preface arrived (server role).</summary>
public sealed record PrefaceReceived : Http2Event;

/// <summary>The peer's SETTINGS were applied (the ACK has been queued).</summary>
public sealed record SettingsReceived(IReadOnlyList<Http2Setting> Settings) : Http2Event;

/// <summary>The peer acknowledged our SETTINGS.</summary>
public sealed record SettingsAcknowledged : Http2Event;

/// <summary>A complete field block: request, response (interim or final) or trailers.</summary>
public sealed record HeadersReceived(int StreamId, IReadOnlyList<HeaderField> Headers, bool EndStream) : Http2Event;

/// <summary>Stream data; the flow-control credit has already been returned to the peer.</summary>
/// <remarks><paramref name="Data"/> points into the connection's input buffer until the next <c>Receive</c>: copy it to keep it.</remarks>
public sealed record DataReceived(int StreamId, ReadOnlyMemory<byte> Data, bool EndStream) : Http2Event;

/// <summary>The peer promised a pushed response on <paramref name="PromisedStreamId"/>.</summary>
public sealed record PushPromiseReceived(int StreamId, int PromisedStreamId, IReadOnlyList<HeaderField> Headers) : Http2Event;

/// <summary>A stream ended abnormally: reset by the peer, or by us because the peer broke a rule.</summary>
public sealed record StreamReset(int StreamId, uint ErrorCode, bool ByPeer, string? Reason = null) : Http2Event;

/// <summary>
/// A received request or response broke a message rule (RFC 9113 Section 8). If <paramref name="Rejected"/>, the
/// stream was reset with PROTOCOL_ERROR (a <see cref="StreamReset"/> follows); otherwise it carries on (REPL, strict off).
/// </summary>
public sealed record MalformedMessageReceived(MessageViolation Violation, bool Rejected) : Http2Event;

public sealed record PingReceived(ulong OpaqueData) : Http2Event;

public sealed record PingAcknowledged(ulong OpaqueData) : Http2Event;

/// <summary>The peer sent GOAWAY: streams above <paramref name="LastStreamId"/> were not processed.</summary>
public sealed record GoAwayReceived(int LastStreamId, uint ErrorCode, string DebugData) : Http2Event;

/// <summary>The peer broke a connection-level rule; we queued GOAWAY with this code and stopped reading.</summary>
public sealed record ConnectionFailed(Http2ErrorCode Code, string Reason) : Http2Event;
