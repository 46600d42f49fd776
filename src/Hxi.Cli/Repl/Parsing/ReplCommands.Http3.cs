using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Parsing;

// The HTTP/3 session's commands (parity with Cloudflare's h3i). PING and DATA reuse the HTTP/2 records:
// QUIC PING carries no data, and DATA is the same stream, payload and end flag.

public sealed record Http3SettingsCommand(IReadOnlyList<Http3Setting> Settings) : ReplInstruction;

/// <summary>A HEADERS frame from HTTP/1.1-style fields; <paramref name="NoPseudo"/> leaves out :method and friends,
/// <paramref name="Literal"/> encodes every line as a QPACK literal with no table references.</summary>
public sealed record Http3HeadersCommand(
    long? StreamId, string Method, string Target, IReadOnlyList<HeaderField> Headers, bool EndStream, bool NoPseudo, bool Literal) : ReplInstruction;

/// <summary>GOAWAY on the control stream; a client's id is a push id.</summary>
public sealed record Http3GoAwayCommand(long Id) : ReplInstruction;

public sealed record MaxPushIdCommand(long PushId) : ReplInstruction;

public sealed record CancelPushCommand(long PushId) : ReplInstruction;

public sealed record PriorityUpdateCommand(long ElementId, string Priority, bool IsPush) : ReplInstruction;

/// <summary>Any frame type with any payload; on the control stream unless <paramref name="StreamId"/> says otherwise.</summary>
public sealed record Http3RawFrameCommand(long Type, byte[] Payload, long? StreamId, bool Fin) : ReplInstruction;

/// <summary>A unidirectional stream of any type, its type prefix written and nothing else.</summary>
public sealed record OpenUniCommand(long StreamType) : ReplInstruction;

/// <summary>Bytes on a stream exactly as given, no framing.</summary>
public sealed record StreamBytesCommand(long StreamId, byte[] Bytes, bool Fin) : ReplInstruction;

/// <summary>QUIC RESET_STREAM with an HTTP/3 error code.</summary>
public sealed record ResetStreamCommand(long StreamId, ulong ErrorCode) : ReplInstruction;

/// <summary>QUIC STOP_SENDING with an HTTP/3 error code.</summary>
public sealed record StopSendingCommand(long StreamId, ulong ErrorCode) : ReplInstruction;

/// <summary>CONNECTION_CLOSE: an HTTP/3 (application) code, or with <paramref name="Transport"/> a QUIC transport code.</summary>
public sealed record ConnectionCloseCommand(ulong ErrorCode, string Reason, bool Transport) : ReplInstruction;

/// <summary><c>wait frame TYPE</c> on HTTP/3, where types are varints.</summary>
public sealed record Http3WaitFrameCommand(long FrameType, TimeSpan Timeout) : ReplInstruction;

/// <summary><c>wait close</c>: until the connection closes; a script that waits for it expects it, so it is no error.</summary>
public sealed record WaitCloseCommand(TimeSpan Timeout) : ReplInstruction;

/// <summary><c>key-update</c>: hxi starts a QUIC key update (RFC 9001 Section 6.1) and sends a PING under the new keys.</summary>
public sealed record KeyUpdateCommand : ReplInstruction;
