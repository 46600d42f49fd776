using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>A request as the REPL sends it, before a protocol dresses it.</summary>
public sealed record ReplRequest(string Method, string Target, IReadOnlyList<HeaderField> Headers, byte[]? Body)
{
    /// <summary>Print the response while it streams in (a request on its own), rather than once it is complete.</summary>
    public bool PrintLive { get; init; }

    /// <summary>With <see cref="PrintLive"/>: print the head too, because the frame view is not showing it.</summary>
    public bool PrintHead { get; init; }

    /// <summary>This request, printed as it arrives by a session whose wire view shows what it shows.</summary>
    public ReplRequest Live(IReplSession session) =>
        session.WireShowsResponseBody ? this : this with { PrintLive = true, PrintHead = !session.WireShowsResponseHead };
}

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
