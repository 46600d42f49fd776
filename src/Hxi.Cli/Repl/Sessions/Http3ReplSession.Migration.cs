using Hxi.Cli.Repl.Parsing;

namespace Hxi.Cli.Repl.Sessions;

public sealed partial class Http3ReplSession
{
    /// <summary>migrate [ADDR]: a new local UDP port (or address); the core validates the path and moves to a fresh connection ID.</summary>
    private async Task MigrateAsync(MigrateCommand migrate, CancellationToken ct)
    {
        var connection = await ConnectionAsync(forRequest: false, ct);
        _lastByHand = "a move to a new path";
        var before = connection.Quic.LocalEndPoint;
        var after = await connection.Quic.MigrateAsync(migrate.LocalAddress).WaitAsync(DriverWait, ct)
            ?? throw new ReplCommandException("migrate: the handshake is not confirmed yet (RFC 9000 Section 9 forbids migrating before)");
        _context.Note($"moved from {before} to {after}: PATH_CHALLENGE sent on the new path");
    }
}
