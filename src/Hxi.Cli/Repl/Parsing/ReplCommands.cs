using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Parsing;

/// <summary>One thing the user asked for, parsed and checked; sessions execute it, protocol by protocol.</summary>
/// <remarks>Records know nothing about connections, so an HTTP/3 session can execute the same commands later.</remarks>
public abstract record ReplInstruction;

/// <summary>A request in HTTP/1.1 text; <paramref name="RawText"/> is exactly what was typed, CRLF-terminated.</summary>
public sealed record TypedRequest(
    string Method, string Target, string Version, IReadOnlyList<HeaderField> Headers, byte[] Body, byte[] RawText) : ReplInstruction;

/// <summary><c>get /a /b -H 'A: b'</c>: one request per target (or <paramref name="Parallel"/> copies), sent together.</summary>
public sealed record ShortRequest(
    string Method, IReadOnlyList<string> Targets, IReadOnlyList<HeaderField> Headers, byte[]? Body, int Parallel, bool Background) : ReplInstruction;

/// <summary>The guided mode: asks for URL, method and headers, then describes the answer.</summary>
public sealed record GuidedRequest : ReplInstruction;

/// <summary>PING; without data the session numbers its pings so each ACK can be matched.</summary>
public sealed record PingCommand(ulong? OpaqueData) : ReplInstruction;

public sealed record SettingsCommand(IReadOnlyList<Protocols.Http2.Http2Setting> Settings) : ReplInstruction;

public sealed record SettingsAckCommand : ReplInstruction;

/// <summary>A HEADERS frame (and CONTINUATIONs) from HTTP/1.1-style fields, dressed as the options say.</summary>
public sealed record HeadersCommand(
    int? StreamId,
    string Method,
    string Target,
    IReadOnlyList<HeaderField> Headers,
    bool EndStream,
    bool EndHeaders,
    Http2PriorityFields? Priority,
    int? PadLength,
    int? SplitSize) : ReplInstruction;

public sealed record DataCommand(int StreamId, byte[] Data, bool EndStream, int? PadLength) : ReplInstruction;

public sealed record RstCommand(int StreamId, uint ErrorCode) : ReplInstruction;

public sealed record WindowUpdateCommand(int StreamId, int Increment) : ReplInstruction;

public sealed record PriorityCommand(int StreamId, Http2PriorityFields Priority) : ReplInstruction;

public sealed record GoAwayCommand(int LastStreamId, uint ErrorCode, string DebugData) : ReplInstruction;

/// <summary>A CONTINUATION frame: HPACK-encoded fields, or a raw fragment given in hex.</summary>
public sealed record ContinuationCommand(int StreamId, IReadOnlyList<HeaderField> Headers, byte[]? RawFragment, bool EndHeaders) : ReplInstruction;

/// <summary>Any frame at all, legal or not: the bytes go out exactly as described.</summary>
public sealed record RawFrameCommand(byte Type, byte Flags, int StreamId, byte[] Payload) : ReplInstruction;

public sealed record WaitFrameCommand(byte FrameType, TimeSpan Timeout) : ReplInstruction;

public sealed record WaitStreamEndCommand(int StreamId, TimeSpan Timeout) : ReplInstruction;

public sealed record WaitDelayCommand(TimeSpan Delay) : ReplInstruction;

/// <summary>Waits for requests started in the background (<c>get /x &amp;</c>).</summary>
public sealed record WaitRequestsCommand(TimeSpan Timeout) : ReplInstruction;

public sealed record SetCommand(string Name, bool? Value) : ReplInstruction;

/// <summary>strict on|off: reject malformed responses as the one-shot CLI does, or only warn (the REPL's default); null shows the setting.</summary>
public sealed record StrictCommand(bool? On) : ReplInstruction;

public sealed record StatsCommand : ReplInstruction;

/// <summary><c>history [N]</c>: the lines entered before, numbered as bash does; the last <paramref name="Count"/> only when given.</summary>
public sealed record HistoryCommand(int? Count) : ReplInstruction;

public sealed record HelpCommand(string? Topic) : ReplInstruction;

public sealed record QuitCommand : ReplInstruction;

/// <summary>An empty line or a comment: nothing to do.</summary>
public sealed record NoCommand : ReplInstruction;
