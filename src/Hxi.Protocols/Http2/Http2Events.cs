using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http2;

/// <summary>A fact only HTTP/2 reports; the facts about messages are the shared <see cref="MessageEvent"/>s.</summary>
public abstract record Http2Event : HttpEvent;

/// <summary>The peer's connection preface arrived (server role).</summary>
public sealed record PrefaceReceived : Http2Event;

/// <summary>The peer's SETTINGS were applied (the ACK has been queued).</summary>
public sealed record SettingsReceived(IReadOnlyList<Http2Setting> Settings) : Http2Event;

/// <summary>The peer acknowledged our SETTINGS.</summary>
public sealed record SettingsAcknowledged : Http2Event;

/// <summary>The peer promised a pushed response on <paramref name="PromisedStreamId"/>.</summary>
public sealed record PushPromiseReceived(int StreamId, int PromisedStreamId, IReadOnlyList<HeaderField> Headers) : Http2Event;

public sealed record PingReceived(ulong OpaqueData) : Http2Event;

public sealed record PingAcknowledged(ulong OpaqueData) : Http2Event;

/// <summary>The peer sent GOAWAY: streams above <paramref name="LastStreamId"/> were not processed.</summary>
public sealed record GoAwayReceived(int LastStreamId, uint ErrorCode, string DebugData) : Http2Event;

/// <summary>The peer broke a connection-level rule; we queued GOAWAY with this code and stopped reading.</summary>
public sealed record ConnectionFailed(Http2ErrorCode Code, string Reason) : Http2Event;
