using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>A request as the REPL sends it, before a protocol dresses it.</summary>
public sealed record ReplRequest(string Method, string Target, IReadOnlyList<HeaderField> Headers, byte[]? Body);

/// <summary>A complete response, whichever protocol carried it.</summary>
/// <param name="StreamId">The HTTP/2 stream; null on HTTP/1.1.</param>
/// <param name="Number">The request's number in this session, counted from 1.</param>
public sealed record ReplResponse(
    string Target,
    string Version,
    int Status,
    string Reason,
    IReadOnlyList<HeaderField> Headers,
    byte[] Body,
    TimeSpan Duration,
    long? StreamId,
    int Number);
