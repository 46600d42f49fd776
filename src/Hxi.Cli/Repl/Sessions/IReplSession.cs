using Hxi.Cli.Repl.Parsing;
using Hxi.Net.Client;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// One protocol's side of the REPL: it owns the connection (and reconnects it), sends requests and
/// executes the commands that depend on the protocol. HTTP/1.1, HTTP/2 and HTTP/3.
/// </summary>
public interface IReplSession : IAsyncDisposable
{
    /// <summary>"h2 localhost:8443": the prompt's text.</summary>
    string Label { get; }

    Task ConnectAsync(CancellationToken ct);

    /// <summary>Sends one request and waits for the whole response; the session counts it in the statistics.</summary>
    Task<ReplResponse> SendAsync(ReplRequest request, CancellationToken ct);

    /// <summary>Holds outgoing frames until disposed, so requests started meanwhile leave together; null when the protocol cannot.</summary>
    Task<IDisposable?> HoldFlushesAsync(CancellationToken ct) => Task.FromResult<IDisposable?>(null);

    /// <summary>True when the wire view already shows a response's head as it arrives, so it is not printed twice.</summary>
    bool WireShowsResponseHead { get; }

    /// <summary>True when the body was shown as it arrived too (HTTP/1.1's raw text).</summary>
    bool WireShowsResponseBody { get; }

    /// <summary>Which frame commands the session speaks; HTTP/1.1 rejects HTTP/2's with a clear line.</summary>
    ReplDialect Dialect => ReplDialect.Http2;

    /// <summary>Executes a protocol-specific command (typed requests, frames, waits on frames).</summary>
    Task ExecuteAsync(ReplInstruction command, CancellationToken ct);
}

/// <summary>A command that ran and failed; the message is one line, and a script's exit status becomes non-zero.</summary>
public sealed class ReplCommandException(string message, FailureKind kind = FailureKind.Usage) : Exception(message)
{
    /// <summary>
    /// What a script's exit status reports (README "Exit status"): a command hxi cannot run is a usage error (2),
    /// a wait that ran out is a timeout (5), a failed request keeps its own kind (3, 4, 6, 7...).
    /// </summary>
    public FailureKind Kind { get; } = kind;

    /// <summary>A request or connection that failed, reported under <paramref name="prefix"/> with the failure's own kind.</summary>
    public static ReplCommandException From(HxiException ex, string? prefix = null) =>
        new(prefix is null ? ex.Message : $"{prefix}: {ex.Message}", ex.Kind);
}
